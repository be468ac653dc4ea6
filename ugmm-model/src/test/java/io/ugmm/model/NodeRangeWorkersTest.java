package io.ugmm.model;

import io.ugmm.simd.AdamCoefficients;
import io.ugmm.simd.MixtureBank;
import io.ugmm.simd.MixtureKernel;
import io.ugmm.simd.MixtureKernels;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The hand-off of a multi-threaded workspace when workers do not run (as on a machine with no free core), run
 * late, or fail. Nothing here is timed: the timeouts only turn a hang (a caller waiting for a worker that
 * never comes) into a failure.
 */
class NodeRangeWorkersTest {
    private static final Duration HANG = Duration.ofSeconds(30);
    private static final MixtureKernel SCALAR = MixtureKernels.scalar();

    private static MixtureBank bank(int inputs, int nodes) {
        return UgmmNetwork.builder(inputs).layer(nodes).seed(nodes).build().layers().get(0).bank();
    }

    private static float[] inputs(int length, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] x = new float[length];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) r.nextGaussian();
        }
        return x;
    }

    /** What one thread writes: the layer at {@code outOff} of an array with a guard value around it. */
    private static float[] expected(MixtureBank bank, float[] x, int rows, int outOff, int length) {
        float[] out = new float[length];
        Arrays.fill(out, -7f);
        SCALAR.forward(x, 0, rows, bank, out, outOff, new float[MixtureKernel.scratchLength(bank.components())]);
        return out;
    }

    @Test
    void chunksAreWholeBlocksOfNodesAndCoverTheLayer() {
        int perThread = NodeRangeWorkers.CHUNKS_PER_THREAD;
        assertEquals(64 / perThread, NodeRangeWorkers.chunkNodes(128, 2));
        assertEquals(8, NodeRangeWorkers.chunkNodes(3, 2));
        assertEquals(8, NodeRangeWorkers.chunkNodes(30, 8 / perThread)); // 8 chunks of 30 nodes: 4, rounded up to 8
        for (int m = 1; m < 300; m++) {
            for (int threads = 2; threads <= 4; threads++) {
                int size = NodeRangeWorkers.chunkNodes(m, threads);
                int chunks = (m + size - 1) / size;
                assertEquals(0, size % NodeRangeWorkers.NODE_ALIGN);
                assertTrue(chunks <= threads * NodeRangeWorkers.CHUNKS_PER_THREAD, m + " nodes, " + threads + " threads");
            }
        }
    }

    @Test
    void workersThatNeverRunLeaveTheWholeLayerToTheCaller() {
        for (int threads : new int[] {2, 3}) {
            for (int nodes : new int[] {1, 7, 37, 128}) {
                MixtureBank bank = bank(40, nodes);
                int rows = 3;
                int outOff = 5;
                int length = outOff + rows * nodes + 4;
                float[] x = inputs(rows * 40, nodes);
                NodeRangeWorkers idle = new NodeRangeWorkers(threads, MixtureKernel.scratchLength(40), rows * nodes, false);
                float[] out = new float[length];
                Arrays.fill(out, -7f);
                // without the caller claiming every chunk itself this would wait forever
                assertTimeoutPreemptively(HANG, () -> idle.forward(SCALAR, x, 0, rows, bank, out, outOff,
                        new float[MixtureKernel.scratchLength(40)]));
                assertArrayEquals(expected(bank, x, rows, outOff, length), out, threads + " threads, " + nodes + " nodes");
            }
        }
    }

    @Test
    void aWorkerStuckInItsChunkIsTakenOverAndItsLateResultDropped() throws Exception {
        MixtureBank bank = bank(40, 128);
        int rows = 2;
        float[] x = inputs(rows * 40, 3);
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger workerCalls = new AtomicInteger();
        // the caller's chunks are slow, so the worker surely claims one; the worker's first call blocks (like a
        // thread the OS took the core from) and then writes a wrong result, which must never reach out
        MixtureKernel stuck = new DelegatingKernel() {
            @Override
            public void forward(float[] in, int inOff, int n, MixtureBank b, int from, int to, float[] out, int outOff,
                                float[] scratch) {
                if (!Thread.currentThread().getName().startsWith("ugmm-workspace-worker")) {
                    sleep(5);
                    SCALAR.forward(in, inOff, n, b, from, to, out, outOff, scratch);
                } else if (workerCalls.incrementAndGet() == 1) {
                    await(release);
                    for (int r = 0; r < n; r++) {
                        Arrays.fill(out, outOff + r * b.mixtures() + from, outOff + r * b.mixtures() + to, Float.NaN);
                    }
                } else {
                    SCALAR.forward(in, inOff, n, b, from, to, out, outOff, scratch);
                }
            }
        };
        NodeRangeWorkers workers = new NodeRangeWorkers(2, MixtureKernel.scratchLength(40), rows * 128);
        try {
            float[] expected = expected(bank, x, rows, 0, rows * 128);
            float[] out = new float[rows * 128];
            float[] callerScratch = new float[MixtureKernel.scratchLength(40)];
            assertTimeoutPreemptively(HANG, () -> {
                while (workerCalls.get() == 0) { // a call in which the worker claimed a chunk (the first, in practice)
                    Arrays.fill(out, -7f);
                    workers.forward(stuck, x, 0, rows, bank, out, 0, callerScratch);
                }
            });
            // the caller returned while the worker was still blocked in its chunk, with every node computed
            assertEquals(1, release.getCount());
            assertArrayEquals(expected, out);
            release.countDown();
            float[] next = new float[rows * 128];
            assertTimeoutPreemptively(HANG, () -> {
                while (workerCalls.get() < 2) { // the worker is past its stuck chunk once it computes another
                    workers.forward(stuck, x, 0, rows, bank, next, 0, callerScratch);
                }
            });
            assertArrayEquals(expected, out, "the late worker wrote its discarded chunk into the output");
            assertArrayEquals(expected, next);
        } finally {
            release.countDown();
            workers.stop();
        }
    }

    @Test
    void aWorkersFailureIsThrownByTheCaller() {
        MixtureBank bank = bank(40, 128);
        float[] x = inputs(40, 4);
        AtomicInteger workerCalls = new AtomicInteger();
        MixtureKernel failing = new DelegatingKernel() {
            @Override
            public void forward(float[] in, int inOff, int n, MixtureBank b, int from, int to, float[] out, int outOff,
                                float[] scratch) {
                if (Thread.currentThread().getName().startsWith("ugmm-workspace-worker")) {
                    workerCalls.incrementAndGet();
                    throw new ArithmeticException("broken kernel");
                }
                sleep(5);
                SCALAR.forward(in, inOff, n, b, from, to, out, outOff, scratch);
            }
        };
        NodeRangeWorkers workers = new NodeRangeWorkers(2, MixtureKernel.scratchLength(40), 128);
        try {
            float[] callerScratch = new float[MixtureKernel.scratchLength(40)];
            IllegalStateException e = assertTimeoutPreemptively(HANG, () -> assertThrows(IllegalStateException.class, () -> {
                while (workerCalls.get() == 0) {
                    workers.forward(failing, x, 0, 1, bank, new float[128], 0, callerScratch);
                }
            }));
            assertEquals("a workspace worker thread failed", e.getMessage());
            assertEquals("broken kernel", e.getCause().getMessage());
        } finally {
            workers.stop();
        }
    }

    @Test
    void theCallersOwnFailureIsThrownAndTheWorkspaceStaysUsable() {
        MixtureBank bank = bank(40, 128);
        float[] x = inputs(40, 5);
        MixtureKernel callerFails = new DelegatingKernel() {
            @Override
            public void forward(float[] in, int inOff, int n, MixtureBank b, int from, int to, float[] out, int outOff,
                                float[] scratch) {
                if (!Thread.currentThread().getName().startsWith("ugmm-workspace-worker")) {
                    throw new ArithmeticException("broken on the caller");
                }
                sleep(2); // each worker holds its chunk a while, so the caller claims one of the three itself
                SCALAR.forward(in, inOff, n, b, from, to, out, outOff, scratch);
            }
        };
        NodeRangeWorkers workers = new NodeRangeWorkers(3, MixtureKernel.scratchLength(40), 128);
        try {
            float[] callerScratch = new float[MixtureKernel.scratchLength(40)];
            for (int call = 0; call < 20; call++) {
                ArithmeticException e = assertTimeoutPreemptively(HANG, () -> assertThrows(ArithmeticException.class,
                        () -> workers.forward(callerFails, x, 0, 1, bank, new float[128], 0, callerScratch)));
                assertEquals("broken on the caller", e.getMessage());
                float[] out = new float[128];
                assertTimeoutPreemptively(HANG, () -> workers.forward(SCALAR, x, 0, 1, bank, out, 0, callerScratch));
                assertArrayEquals(expected(bank, x, 1, 0, 128), out, "call " + call);
            }
        } finally {
            workers.stop();
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            assertTrue(latch.await(60, TimeUnit.SECONDS));
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The scalar kernel; tests override the node-range forward. */
    private abstract static class DelegatingKernel implements MixtureKernel {
        @Override
        public String name() {
            return "test";
        }

        @Override
        public int vectorBits() {
            return 32;
        }

        @Override
        public void forward(float[] x, int xOff, int rows, MixtureBank bank, float[] out, int outOff, float[] scratch) {
            forward(x, xOff, rows, bank, 0, bank.mixtures(), out, outOff, scratch);
        }

        @Override
        public void backward(float[] x, int xOff, int rows, MixtureBank bank, float[] out, int outOff, float[] gOut,
                             int gOutOff, float[] grad, int gradOff, float[] gx, int gxOff) {
            SCALAR.backward(x, xOff, rows, bank, out, outOff, gOut, gOutOff, grad, gradOff, gx, gxOff);
        }

        @Override
        public float logSumExp(float[] v, int off, int len) {
            return SCALAR.logSumExp(v, off, len);
        }

        @Override
        public void logSoftmax(float[] v, int off, int len, float[] out, int outOff) {
            SCALAR.logSoftmax(v, off, len, out, outOff);
        }

        @Override
        public void exp(float[] v, int off, int len, float[] out, int outOff) {
            SCALAR.exp(v, off, len, out, outOff);
        }

        @Override
        public void adam(float[] param, int pOff, float[] grad, int gOff, float[] m, float[] v, int sOff, int len,
                         AdamCoefficients c) {
            SCALAR.adam(param, pOff, grad, gOff, m, v, sOff, len, c);
        }
    }
}
