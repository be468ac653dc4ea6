package io.ugmm.cli.bench;

import io.ugmm.model.UgmmNetwork;
import io.ugmm.model.Workspace;
import io.ugmm.model.train.LearningRateSchedule;
import io.ugmm.model.train.Loss;
import io.ugmm.model.train.Trainer;
import io.ugmm.model.train.TrainingConfig;
import io.ugmm.model.train.TrainingSet;

import java.io.PrintStream;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * What one training step costs in forward passes of the same batch: on one thread, a forward pass of
 * {@value #BATCH} rows through the network (reused workspace) against one Adam step on {@value #BATCH} rows
 * (cross-entropy, dropout 0.3 on the first layer, the reference's MNIST settings; forward, loss, backward,
 * update), timed in alternating rounds (which goes first alternates) so load falls on both alike. The step
 * goes through the public {@link Trainer#fit} over {@value #STEPS} batches per call, so what {@code fit} does
 * once per epoch (shuffling, building the returned network) is included, spread over the steps.
 */
public final class TrainingStepTiming {
    static final int BATCH = 128;
    static final int STEPS = 8;
    private static final int CLASSES = 10;

    /**
     * @param forwardMillis  a forward pass of the batch (median over rounds, {@link RoundTimer#clockName()})
     * @param stepMillis     one training step on the batch (median over rounds)
     * @param ratio          median of the per-round step / forward ratios
     */
    public record Result(double forwardMillis, double stepMillis, double ratio, double ratioMin, double ratioMax) {

        /** The table's line. */
        public void print(PrintStream out) {
            out.println();
            out.printf(Locale.ROOT, "training step / forward, batch %d: %.2fx (rounds %.2f-%.2f; step %.2f ms,"
                            + " forward %.2f ms, one thread, %s)%n", BATCH, ratio, ratioMin, ratioMax, stepMillis,
                    forwardMillis, RoundTimer.clockName());
        }

        /** {@code json} (a {@link BenchReport} object) with this result's fields added at its end. */
        public String addTo(String json) {
            int end = json.lastIndexOf('}');
            int lastValue = json.lastIndexOf('\n', end - 1);
            if (end < 0 || lastValue < 0) {
                throw new IllegalArgumentException("not a JSON object: " + json);
            }
            return json.substring(0, lastValue) + ",\n"
                    + String.format(Locale.ROOT, "  \"train_step_b%d_ms\": %.3f,%n", BATCH, stepMillis)
                    + String.format(Locale.ROOT, "  \"train_forward_b%d_ms\": %.3f,%n", BATCH, forwardMillis)
                    + String.format(Locale.ROOT, "  \"train_step_over_forward_b%d\": %.3f%n", BATCH, ratio)
                    + json.substring(end);
        }
    }

    private TrainingStepTiming() {
    }

    /** Measures {@code net} (which must have 10 outputs: one per class) in {@code rounds} rounds. */
    public static Result measure(UgmmNetwork net, long roundNanos, int rounds, long seed) {
        if (net.outputs() != CLASSES) {
            throw new IllegalArgumentException("expected a network with " + CLASSES + " outputs, found " + net.outputs());
        }
        int rows = STEPS * BATCH;
        float[] x = new float[rows * net.inputs()];
        SplittableRandom random = new SplittableRandom(seed);
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) random.nextDouble();
        }
        int[] labels = random.ints(rows, 0, CLASSES).toArray();
        TrainingSet data = TrainingSet.of(x, rows, net.inputs(), labels);
        Trainer trainer = new Trainer(net, TrainingConfig.builder()
                .loss(Loss.CROSS_ENTROPY)
                .epochs(1)
                .batchSize(BATCH)
                .schedule(LearningRateSchedule.constant(1e-2))
                .dropout(0.3)
                .seed(seed)
                .threads(1)
                .build());
        Workspace ws = net.newWorkspace(BATCH);
        float[] out = new float[BATCH * net.outputs()];
        Runnable forward = () -> net.forward(x, 0, BATCH, out, 0, ws);
        Runnable steps = () -> trainer.fit(data, null);
        RoundTimer timer = new RoundTimer(roundNanos);
        for (int i = 0; i < 3; i++) { // warm-up
            timer.nanosPerCall(forward);
            timer.nanosPerCall(steps);
        }
        double[] forwardNanos = new double[rounds];
        double[] stepNanos = new double[rounds];
        double[] ratios = new double[rounds];
        for (int r = 0; r < rounds; r++) {
            if (r % 2 == 0) {
                forwardNanos[r] = timer.nanosPerCall(forward);
                stepNanos[r] = timer.nanosPerCall(steps) / STEPS;
            } else {
                stepNanos[r] = timer.nanosPerCall(steps) / STEPS;
                forwardNanos[r] = timer.nanosPerCall(forward);
            }
            ratios[r] = stepNanos[r] / forwardNanos[r];
        }
        return new Result(Stats.median(forwardNanos) / 1e6, Stats.median(stepNanos) / 1e6, Stats.median(ratios),
                Stats.min(ratios), Stats.max(ratios));
    }
}
