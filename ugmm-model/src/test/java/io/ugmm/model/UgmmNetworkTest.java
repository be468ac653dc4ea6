package io.ugmm.model;

import io.ugmm.simd.MixtureKernel;
import io.ugmm.simd.MixtureKernels;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class UgmmNetworkTest {
    private static final UgmmNetwork NET = UgmmNetwork.builder(50).layer(12).layer(7).layer(3).seed(7).build();

    private static float[] inputs(int rows, int n, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] x = new float[rows * n];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) (random.nextGaussian() * 2);
        }
        return x;
    }

    @Test
    void builderMakesTheRequestedShapeWithReferenceInitialisation() {
        assertEquals("50 -> 12 -> 7 -> 3", NET.architecture());
        assertEquals(50, NET.inputs());
        assertEquals(3, NET.outputs());
        assertEquals(3L * (50 * 12 + 12 * 7 + 7 * 3), NET.parameterCount());
        UgmmLayer first = NET.layers().get(0);
        for (float s : first.logStd()) {
            assertTrue(s <= 0, "std = log U(0,1) is never positive");
        }
        for (float k : first.logits()) {
            assertTrue(k >= 0 && k < 1, "k ~ U(0,1)");
        }
        assertArrayEquals(first.mu(), UgmmNetwork.builder(50).layer(12).layer(7).layer(3).seed(7).build()
                .layers().get(0).mu(), "same seed, same parameters");
    }

    @Test
    void batchedForwardEqualsRowByRowBitForBit() {
        for (MixtureKernel kernel : new MixtureKernel[] {MixtureKernels.scalar(), MixtureKernels.preferred()}) {
            UgmmNetwork net = NET.withKernel(kernel);
            for (int rows : new int[] {1, 3, 4, 5, 9, 257}) {
                float[] x = inputs(rows, 50, rows);
                float[] batched = net.forwardBatch(x, rows);
                for (int b = 0; b < rows; b++) {
                    float[] single = net.forward(Arrays.copyOfRange(x, b * 50, (b + 1) * 50));
                    assertArrayEquals(single, Arrays.copyOfRange(batched, b * 3, (b + 1) * 3),
                            kernel.name() + " rows=" + rows + " row " + b);
                }
            }
        }
    }

    @Test
    void smallWorkspaceProcessesLargeBatchesInChunks() {
        float[] x = inputs(23, 50, 3);
        float[] expected = NET.forwardBatch(x, 23);
        float[] out = new float[23 * 3];
        NET.forward(x, 0, 23, out, 0, NET.newWorkspace(5));
        assertArrayEquals(expected, out);
    }

    @Test
    void multiThreadedWorkspaceGivesTheSingleThreadedBits() {
        // wide enough that the first two layers are split (at batch 1 too: 300 x 61 and 61 x 70 terms are
        // above Workspace.MIN_PARALLEL_TERMS), the root (70 x 3) is not
        UgmmNetwork net = UgmmNetwork.builder(300).layer(61).layer(70).layer(3).seed(5).build();
        assertTrue(61 * 70 >= Workspace.MIN_PARALLEL_TERMS && 70 * 3 < Workspace.MIN_PARALLEL_TERMS);
        for (UgmmNetwork n : new UgmmNetwork[] {net, net.withKernel(MixtureKernels.scalar())}) {
            for (int threads : new int[] {2, 3}) {
                try (Workspace parallel = n.newWorkspace(4, threads)) {
                    assertEquals(threads, parallel.threads());
                    Workspace single = n.newWorkspace(4);
                    for (int rows : new int[] {1, 2, 9}) {
                        float[] x = inputs(rows, 300, rows);
                        float[] expected = new float[rows * 3];
                        float[] found = new float[rows * 3];
                        n.forward(x, 0, rows, expected, 0, single);
                        for (int repeat = 0; repeat < 50; repeat++) {
                            n.forward(x, 0, rows, found, 0, parallel);
                            assertArrayEquals(expected, found, n.kernel().name() + " threads=" + threads
                                    + " rows=" + rows + " repeat=" + repeat);
                        }
                    }
                }
            }
        }
    }

    @Test
    void closedMultiThreadedWorkspaceIsRefusedAndBadThreadCountsAreRejected() {
        Workspace ws = NET.newWorkspace(1, 2);
        ws.close();
        ws.close(); // idempotent
        IllegalStateException closed = assertThrows(IllegalStateException.class,
                () -> NET.forward(new float[50], 0, 1, new float[3], 0, ws));
        assertTrue(closed.getMessage().contains("closed"), closed.getMessage());
        try (Workspace inUse = NET.newWorkspace(1, 2)) {
            inUse.enter(); // as if another thread were inside forward
            assertThrows(java.util.ConcurrentModificationException.class,
                    () -> NET.forward(new float[50], 0, 1, new float[3], 0, inUse));
            assertThrows(java.util.ConcurrentModificationException.class, inUse::close);
            inUse.exit();
        }
        assertEquals(1, NET.newWorkspace(1, 1).threads());
        IllegalArgumentException zero = assertThrows(IllegalArgumentException.class, () -> NET.newWorkspace(1, 0));
        assertTrue(zero.getMessage().contains("at least 1 thread"), zero.getMessage());
    }

    @Test
    void thirtyTwoThreadsSharingOneNetworkGetTheSameBits() throws Exception {
        int rows = 40;
        float[] x = inputs(rows, 50, 11);
        float[] expected = NET.forwardBatch(x, rows);
        ExecutorService pool = Executors.newFixedThreadPool(32);
        try {
            List<Future<float[]>> results = new ArrayList<>();
            for (int t = 0; t < 32; t++) {
                results.add(pool.submit(() -> {
                    Workspace ws = NET.newWorkspace(7);
                    float[] out = new float[rows * 3];
                    for (int repeat = 0; repeat < 20; repeat++) {
                        NET.forward(x, 0, rows, out, 0, ws);
                    }
                    return out;
                }));
            }
            for (Future<float[]> f : results) {
                assertArrayEquals(expected, f.get());
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void wrongRowLengthIsAClearError() {
        var e = assertThrows(IllegalArgumentException.class, () -> NET.forward(new float[49]));
        assertEquals("expected a row of 50 features, found 49", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> NET.forwardBatch(new float[101], 2));
        assertTrue(e.getMessage().contains("expected 2 rows x 50 features = 100 values, found 101"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> NET.forward(new float[100], 0, 3, new float[9], 0, NET.newWorkspace(3)));
        assertTrue(e.getMessage().contains("x needs 150 values"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> NET.forward(new float[100], 0, 2, new float[5], 0, NET.newWorkspace(3)));
        assertTrue(e.getMessage().contains("out needs 6 values"), e.getMessage());
    }

    @Test
    void nonFiniteInputsAreRejectedNamingRowAndColumn() {
        for (float bad : new float[] {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY}) {
            float[] x = inputs(3, 50, 1);
            x[2 * 50 + 17] = bad;
            var e = assertThrows(IllegalArgumentException.class, () -> NET.forwardBatch(x, 3));
            assertEquals("input row 2, column 17 is " + bad + "; inputs must be finite", e.getMessage());
        }
    }

    @Test
    void emptyBatchGivesEmptyResult() {
        assertEquals(0, NET.forwardBatch(new float[0], 0).length);
        NET.forward(new float[0], 0, 0, new float[0], 0, NET.newWorkspace(1));
    }

    @Test
    void workspaceOfAnotherShapeIsRejected() {
        UgmmNetwork other = UgmmNetwork.builder(50).layer(4).build();
        var e = assertThrows(IllegalArgumentException.class,
                () -> NET.forward(new float[50], 0, 1, new float[3], 0, other.newWorkspace(1)));
        assertTrue(e.getMessage().contains("another shape"), e.getMessage());
    }

    @Test
    void layersMustChain() {
        UgmmLayer a = NET.layers().get(0);
        UgmmLayer c = NET.layers().get(2);
        var e = assertThrows(IllegalArgumentException.class, () -> UgmmNetwork.of(List.of(a, c)));
        assertEquals("layer 1 has 7 inputs but layer 0 has 12 nodes; they must match", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> UgmmNetwork.of(List.of()));
    }

    @Test
    void layerRejectsBadParameters() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> UgmmLayer.of(3, 2, new float[6], new float[6], new float[5]));
        assertEquals("k has 5 values; expected 6 (2 nodes x 3 inputs)", e.getMessage());
        float[] mu = new float[6];
        mu[5] = Float.NaN;
        e = assertThrows(IllegalArgumentException.class, () -> UgmmLayer.of(3, 2, mu, new float[6], new float[6]));
        assertEquals("mu[1][2] is NaN; parameters must be finite", e.getMessage());
    }

    @Test
    void layerIsImmutable() {
        UgmmLayer layer = NET.layers().get(0);
        float[] mu = layer.mu();
        mu[0] = 1234f;
        assertTrue(layer.mu()[0] != 1234f);
    }

    @Test
    void vectorAndScalarNetworksAgree() {
        float[] x = inputs(17, 50, 5);
        float[] scalar = NET.withKernel(MixtureKernels.scalar()).forwardBatch(x, 17);
        float[] vector = NET.forwardBatch(x, 17);
        for (int i = 0; i < scalar.length; i++) {
            assertEquals(scalar[i], vector[i], 1e-4 * (1 + Math.abs(scalar[i])), "output " + i);
        }
    }
}
