package io.ugmm.model.io;

import io.ugmm.model.gmm.CovarianceType;
import io.ugmm.model.gmm.GaussianMixture;
import io.ugmm.model.gmm.GmmConfig;
import io.ugmm.model.gmm.GmmSample;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GmmFilesTest {
    private static GaussianMixture fitted(CovarianceType type) {
        GaussianMixture truth = GaussianMixture.of(CovarianceType.DIAG, new double[] {0.6, 0.4},
                new double[] {0, 0, 0, 5, 5, 5}, new double[] {1, 2, 0.5, 1, 1, 1});
        GmmSample s = truth.sample(400, 1);
        return GaussianMixture.fit(s.x(), 400, 3, GmmConfig.builder(2).covarianceType(type).seed(2).build());
    }

    @ParameterizedTest
    @EnumSource(CovarianceType.class)
    void roundTripKeepsEveryParameterAndTheFitInfo(CovarianceType type, @TempDir Path dir) throws Exception {
        GaussianMixture m = fitted(type);
        Path file = dir.resolve("m.safetensors");
        GmmFiles.save(m, file, ModelMetadata.empty().withDataset("test"));
        GmmFiles.LoadedMixture back = GmmFiles.load(file);
        GaussianMixture b = back.mixture();
        assertEquals(type, b.covarianceType());
        assertArrayEquals(m.weights(), b.weights(), 0.0);
        assertArrayEquals(m.means(), b.means(), 0.0);
        assertArrayEquals(m.covariances(), b.covariances(), 0.0);
        assertEquals(m.converged(), b.converged());
        assertEquals(m.iterations(), b.iterations());
        assertEquals(m.lowerBound(), b.lowerBound(), 0.0);
        assertEquals("test", back.metadata().dataset().orElseThrow());
        assertEquals("gmm", back.metadata().get("format").orElseThrow());
        float[] row = {1f, 2f, 3f};
        assertEquals(m.scoreSamples(row, 1)[0], b.scoreSamples(row, 1)[0], 0.0);
    }

    private static byte[] withChange(GaussianMixture m, String metaKey, String metaValue, String tensor, double[] values,
                                     long[] shape) {
        SafetensorsFile f = GmmFiles.toSafetensors(m, ModelMetadata.empty());
        Map<String, String> meta = new TreeMap<>(f.metadata());
        if (metaKey != null) {
            if (metaValue == null) {
                meta.remove(metaKey);
            } else {
                meta.put(metaKey, metaValue);
            }
        }
        List<Tensor> tensors = new ArrayList<>();
        for (Tensor t : f.tensors()) {
            if (!t.name().equals(tensor)) {
                tensors.add(t);
            }
        }
        if (tensor != null && values != null) {
            ByteBuffer b = ByteBuffer.allocate(values.length * 8).order(ByteOrder.LITTLE_ENDIAN);
            b.asDoubleBuffer().put(values);
            tensors.add(Tensor.of(tensor, DType.F64, shape, b.array()));
        }
        return SafetensorsWriter.toBytes(new SafetensorsFile(meta, tensors));
    }

    private static void rejected(byte[] bytes, String expected) {
        ModelFileException e = assertThrows(ModelFileException.class, () -> GmmFiles.fromBytes(bytes, "bad.safetensors"));
        assertTrue(e.getMessage().startsWith("bad.safetensors: "), e.getMessage());
        assertTrue(e.getMessage().contains(expected), "expected '" + expected + "' in: " + e.getMessage());
    }

    @Test
    void hostileOrWrongFilesAreRejectedWithTheFileAndTensorNamed() {
        GaussianMixture m = fitted(CovarianceType.FULL);
        rejected(withChange(m, "format", "ugmm", null, null, null), "this is a uGMM network");
        rejected(withChange(m, "format", null, null, null, null), "metadata format is missing");
        rejected(withChange(m, "covariance_type", "banana", null, null, null), "covariance_type is 'banana'");
        rejected(withChange(m, "covariance_type", "diag", null, null, null), "expected [2, 3] for diag covariances");
        rejected(withChange(m, "iterations", "many", null, null, null), "not a whole number");
        rejected(withChange(m, null, null, "weights", new double[] {0.5, 0.6}, new long[] {2}),
                "tensor 'weights': weights sum to 1.1");
        rejected(withChange(m, null, null, "weights", new double[] {1}, new long[] {1}), "tensor 'means'");
        rejected(withChange(m, null, null, "weights", null, null), "tensor 'weights': missing");
        rejected(withChange(m, null, null, "means", new double[] {0, 0, Double.NaN, 1, 1, 1}, new long[] {2, 3}),
                "element 2 is NaN");
        double[] notPd = new double[18];
        notPd[0] = 1;
        rejected(withChange(m, null, null, "covariances", notPd, new long[] {2, 3, 3}), "not positive definite");
        double[] asym = m.covariances();
        asym[1] += 0.5;
        rejected(withChange(m, null, null, "covariances", asym, new long[] {2, 3, 3}), "not symmetric");
        rejected(withChange(m, null, null, "extra", new double[] {1}, new long[] {1}), "tensor 'extra': unexpected");
        byte[] good = GmmFiles.toBytes(m, ModelMetadata.empty());
        rejected(java.util.Arrays.copyOf(good, good.length - 3), "");
    }

    @Test
    void randomByteFlipsNeverEscapeAsAnythingButModelFileException() {
        byte[] good = GmmFiles.toBytes(fitted(CovarianceType.DIAG), ModelMetadata.empty());
        SplittableRandom random = new SplittableRandom(17);
        for (int trial = 0; trial < 2000; trial++) {
            byte[] b = good.clone();
            for (int flips = 1 + random.nextInt(3); flips > 0; flips--) {
                b[random.nextInt(b.length)] ^= (byte) (1 << random.nextInt(8));
            }
            try {
                GmmFiles.fromBytes(b, "fuzz");
            } catch (ModelFileException expected) {
                // the one allowed failure
            }
        }
    }

    @Test
    void aNetworkLoaderRefusesAGmmFileAndTheOtherWayRound(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("g.safetensors");
        GmmFiles.save(fitted(CovarianceType.SPHERICAL), file, ModelMetadata.empty());
        assertTrue(GmmFiles.isGmm(SafetensorsReader.read(file)));
        assertThrows(ModelFileException.class, () -> ModelFiles.load(file));
        assertTrue(Files.size(file) > 0);
    }
}
