package io.ugmm.model;

import io.ugmm.simd.MixtureBank;
import io.ugmm.simd.MixtureKernel;

import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.locks.LockSupport;

/**
 * The worker threads of a multi-threaded {@link Workspace}: one layer's nodes are split into contiguous
 * ranges, the calling thread computes the first and each worker one of the others, and the caller waits for
 * all of them before the next layer (a barrier per layer). Every node is computed by the same kernel code
 * as on one thread, so results are bit-identical.
 *
 * <p>A hand-off is a few volatile writes and reads, no allocation. A batch-1 layer takes tens of
 * microseconds, less than waking a parked thread, so an idle worker spins for {@link #SPIN_NANOS} before it
 * parks (the caller then unparks it: the first call after a pause pays the wake-up).
 */
final class NodeRangeWorkers {
    /** How long an idle worker spins before parking. */
    static final long SPIN_NANOS = 200_000;

    private final int parts;
    private final Thread[] threads;
    private final float[][] scratch;

    // the task of the current generation: written by the caller before it publishes the generation
    private MixtureKernel kernel;
    private float[] x;
    private int xOff;
    private int rows;
    private MixtureBank bank;
    private float[] out;
    private int outOff;

    private volatile int generation;
    private volatile boolean stopped;
    /** Per worker: the last generation it finished (its writes to {@code out} happen before). */
    private final AtomicIntegerArray finished;
    private volatile Throwable failure;

    NodeRangeWorkers(int threads, int scratchLength) {
        this.parts = threads;
        this.threads = new Thread[threads - 1];
        this.finished = new AtomicIntegerArray(threads - 1);
        this.scratch = new float[threads - 1][scratchLength];
        for (int w = 0; w < this.threads.length; w++) {
            int worker = w;
            Thread t = new Thread(() -> work(worker), "ugmm-workspace-worker-" + (w + 1));
            t.setDaemon(true);
            this.threads[w] = t;
            t.start();
        }
    }

    /** Number of threads a layer is split over, the caller included. */
    int threads() {
        return parts;
    }

    /**
     * Computes every node of {@code bank} for {@code rows} rows, the caller taking the first range (with
     * {@code callerScratch}) and returning once all ranges are written.
     */
    void forward(MixtureKernel kernel, float[] x, int xOff, int rows, MixtureBank bank, float[] out, int outOff,
                 float[] callerScratch) {
        this.kernel = kernel;
        this.x = x;
        this.xOff = xOff;
        this.rows = rows;
        this.bank = bank;
        this.out = out;
        this.outOff = outOff;
        int g = generation + 1;
        generation = g; // publishes the fields above to the workers
        for (Thread t : threads) {
            LockSupport.unpark(t);
        }
        try {
            kernel.forward(x, xOff, rows, bank, 0, rangeEnd(0, bank.mixtures()), out, outOff, callerScratch);
        } finally {
            // the barrier: never return (not even with an exception) while a worker still writes to out
            for (int w = 0; w < threads.length; w++) {
                while (finished.get(w) != g) {
                    Thread.onSpinWait();
                }
            }
            this.x = null; // do not keep the caller's arrays reachable between calls
            this.out = null;
        }
        Throwable t = failure;
        if (t != null) {
            failure = null;
            throw new IllegalStateException("a workspace worker thread failed", t);
        }
    }

    /** End of range {@code part} of {@code m} nodes split into {@link #parts} contiguous ranges. */
    private int rangeEnd(int part, int m) {
        return (int) ((long) m * (part + 1) / parts);
    }

    private void work(int w) {
        int seen = 0;
        while (true) {
            int g = awaitGeneration(seen);
            if (stopped) {
                return;
            }
            seen = g;
            try {
                int m = bank.mixtures();
                kernel.forward(x, xOff, rows, bank, rangeEnd(w, m), rangeEnd(w + 1, m), out, outOff, scratch[w]);
            } catch (Throwable t) {
                failure = t;
            }
            finished.set(w, g);
        }
    }

    /** Spins, then parks, until a generation other than {@code seen} is published or the workers stop. */
    private int awaitGeneration(int seen) {
        long spinUntil = System.nanoTime() + SPIN_NANOS;
        int g;
        while ((g = generation) == seen && !stopped) {
            if (System.nanoTime() < spinUntil) {
                Thread.onSpinWait();
            } else {
                LockSupport.park(this);
            }
        }
        return g;
    }

    boolean stopped() {
        return stopped;
    }

    /** Stops the worker threads (idempotent); later calls to {@link #forward} are refused. */
    void stop() {
        stopped = true;
        for (Thread t : threads) {
            LockSupport.unpark(t);
        }
    }

}
