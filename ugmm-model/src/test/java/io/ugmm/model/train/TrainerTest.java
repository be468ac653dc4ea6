package io.ugmm.model.train;

import io.ugmm.model.Inference;
import io.ugmm.model.UgmmNetwork;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TrainerTest {

    private static double accuracy(UgmmNetwork net, Blobs data) {
        float[] out = net.forwardBatch(data.x, data.rows);
        int correct = 0;
        for (int b = 0; b < data.rows; b++) {
            correct += UgmmNetwork.argmax(out, b * data.classes, data.classes) == data.labels[b] ? 1 : 0;
        }
        return correct / (double) data.rows;
    }

    @Test
    void crossEntropyLearnsSeparableBlobs() {
        Blobs data = new Blobs(1, 600, 6, 3, 0.4);
        UgmmNetwork initial = UgmmNetwork.builder(6).layer(12).layer(3).seed(3).build();
        TrainingConfig config = TrainingConfig.builder().loss(Loss.CROSS_ENTROPY).epochs(15).batchSize(32)
                .learningRate(1e-2).dropout(0.1).seed(5).threads(2).build();
        Trainer trainer = new Trainer(initial, config);
        double[] firstAndLast = new double[2];
        UgmmNetwork trained = trainer.fit(TrainingSet.of(data.x, data.rows, 6, data.labels), new TrainingListener() {
            @Override
            public boolean epochDone(EpochSummary s, Trainer t) {
                firstAndLast[s.epoch() == 1 ? 0 : 1] = s.loss();
                return true;
            }
        });
        assertTrue(firstAndLast[1] < firstAndLast[0], "loss should fall: " + firstAndLast[0] + " -> " + firstAndLast[1]);
        assertTrue(accuracy(trained, data) > 0.9, "accuracy " + accuracy(trained, data));
        assertEquals(15, trainer.epochsDone());
    }

    @Test
    void generativeTrainingClassifiesByMpe() {
        Blobs data = new Blobs(2, 300, 4, 3, 0.4);
        float[] joint = data.withLabelColumn();
        UgmmNetwork initial = UgmmNetwork.builder(5).layer(10).layer(5).layer(1).seed(0).build();
        TrainingConfig config = TrainingConfig.builder().loss(Loss.NEGATIVE_LOG_LIKELIHOOD).epochs(30).batchSize(32)
                .learningRate(1e-2).minStd(0.3).seed(1).threads(1).build();
        UgmmNetwork trained = new Trainer(initial, config).fit(TrainingSet.of(joint, data.rows, 5, null), null);
        int[] predicted = Inference.mpe(trained, joint, data.rows, 4, 3);
        int correct = 0;
        for (int b = 0; b < data.rows; b++) {
            correct += predicted[b] == data.labels[b] ? 1 : 0;
        }
        assertTrue(correct > 0.8 * data.rows, "MPE accuracy " + correct + "/" + data.rows);
    }

    @Test
    void seededRunIsReproducibleBitForBitWithTheSameThreads() {
        Blobs data = new Blobs(3, 200, 5, 3, 0.5);
        TrainingConfig config = TrainingConfig.builder().epochs(3).batchSize(50).learningRate(1e-2).dropout(0.3)
                .seed(9).threads(2).build();
        RowAugmentation jitter = (row, off, features, random) -> row[off] += (float) (random.nextDouble() - 0.5);
        UgmmNetwork a = new Trainer(UgmmNetwork.builder(5).layer(8).layer(3).seed(4).build(), config)
                .fit(TrainingSet.of(data.x, data.rows, 5, data.labels).withAugmentation(jitter), null);
        UgmmNetwork b = new Trainer(UgmmNetwork.builder(5).layer(8).layer(3).seed(4).build(), config)
                .fit(TrainingSet.of(data.x, data.rows, 5, data.labels).withAugmentation(jitter), null);
        for (int l = 0; l < 2; l++) {
            assertArrayEquals(a.layers().get(l).mu(), b.layers().get(l).mu());
            assertArrayEquals(a.layers().get(l).logStd(), b.layers().get(l).logStd());
            assertArrayEquals(a.layers().get(l).logits(), b.layers().get(l).logits());
        }
    }

    @Test
    void nonFiniteLossNamesEpochBatchAndRowAndLeavesParametersAlone() {
        Blobs data = new Blobs(4, 64, 3, 2, 0.5);
        // finite but extreme: (x - mu) / sigma overflows a float, every term is -inf, the loss is not finite
        for (int f = 0; f < 3; f++) {
            data.x[37 * 3 + f] = 3e38f;
        }
        UgmmNetwork initial = UgmmNetwork.builder(3).layer(4).layer(2).seed(1).build();
        TrainingConfig config = TrainingConfig.builder().epochs(2).batchSize(16).seed(2).threads(2).build();
        Trainer trainer = new Trainer(initial, config);
        TrainingDivergedException e = assertThrows(TrainingDivergedException.class,
                () -> trainer.fit(TrainingSet.of(data.x, data.rows, 3, data.labels), null));
        assertEquals(1, e.epoch());
        assertTrue(e.batch() >= 1 && e.batch() <= 4);
        assertTrue(e.getMessage().contains("epoch 1, batch " + e.batch() + " of 4"), e.getMessage());
        assertTrue(e.getMessage().contains("training row 37"), e.getMessage());
        UgmmNetwork after = trainer.network();
        for (var layer : after.layers()) {
            for (float v : layer.mu()) {
                assertTrue(Float.isFinite(v));
            }
        }
        assertEquals(e.batch() - 1, trainer.steps());
    }

    @Test
    void nonFiniteGradientWithAFiniteLossIsTracedToItsRow() {
        // without a clip the step only checks the gradient's entries are finite; with one it sums their squares
        nonFiniteGradientIsTracedToItsRow(TrainingConfig.builder().epochs(1).batchSize(64).seed(2).threads(1).build());
        nonFiniteGradientIsTracedToItsRow(TrainingConfig.builder().epochs(1).batchSize(64).seed(2).threads(1)
                .clipNorm(5).build());
    }

    private static void nonFiniteGradientIsTracedToItsRow(TrainingConfig config) {
        Blobs data = new Blobs(4, 64, 3, 2, 0.5);
        // one extreme feature: the other components keep the loss finite, but (x - mu)^2 overflows in the
        // gradient of the log standard deviation
        data.x[21 * 3 + 1] = 3e38f;
        Trainer trainer = new Trainer(UgmmNetwork.builder(3).layer(4).layer(2).seed(1).build(), config);
        TrainingDivergedException e = assertThrows(TrainingDivergedException.class,
                () -> trainer.fit(TrainingSet.of(data.x, data.rows, 3, data.labels), null));
        assertTrue(e.getMessage().contains("training row 21"), e.getMessage());
        assertEquals(0, trainer.steps());
    }

    @Test
    void badDataIsRejectedUpFrontWithRowAndColumn() {
        float[] x = {1, 2, Float.NaN, 4};
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TrainingSet.of(x, 2, 2, null));
        assertTrue(e.getMessage().contains("row 1, column 0"), e.getMessage());
        UgmmNetwork net = UgmmNetwork.builder(2).layer(3).seed(1).build();
        Trainer trainer = new Trainer(net, TrainingConfig.builder().build());
        IllegalArgumentException labels = assertThrows(IllegalArgumentException.class,
                () -> trainer.fit(TrainingSet.of(new float[]{1, 2, 3, 4}, 2, 2, new int[]{0, 3}), null));
        assertTrue(labels.getMessage().contains("label of row 1 is 3"), labels.getMessage());
    }
}
