package io.ugmm.model;

import io.ugmm.simd.MixtureBank;
import io.ugmm.simd.MixtureKernel;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.locks.LockSupport;

/**
 * The worker threads of a multi-threaded {@link Workspace}: one layer's nodes are cut into a few contiguous
 * chunks, which the calling thread and the workers claim one at a time until none is left; the caller then
 * waits for the workers' chunks before the next layer (a barrier per layer). Every node is computed by the
 * same kernel code as on one thread, so results are bit-identical.
 *
 * <p>The caller never waits long for a worker that is not running. Waking a parked thread, or getting a core
 * back on a machine whose cores are all busy, takes from tens of microseconds to milliseconds: more than a
 * batch-1 layer. So a worker that has not started claims nothing (the caller computes the whole layer, as on
 * one thread), and a chunk a worker claimed but has not finished within {@link #GRACE_CHUNKS} times the
 * caller's own time per chunk is taken over: the caller computes it, and the worker's result is discarded.
 * For that, a worker computes into its own buffer and copies a chunk into the layer's output only after
 * committing it (a CAS the caller's take-over would have made fail); the caller waits only for copies in
 * progress, a few nanoseconds of work.
 *
 * <p>A hand-off is a few volatile writes and two CASes per chunk, no allocation. An idle worker spins for
 * {@link #SPIN_NANOS} before it parks (the caller then unparks it, and does the work itself until it runs).
 */
final class NodeRangeWorkers {
    /** How long an idle worker spins before parking. */
    static final long SPIN_NANOS = 200_000;
    /**
     * Chunks per thread: more balance the work when a worker starts late and make a taken-over chunk cheaper;
     * fewer cost fewer claims, each a cache line moving between cores. At batch 1 on 784 -> 128 -> 64 -> 10
     * (2 threads, JMH {@code NetworkBench.batch1TwoThreads}, JDK 17) 2 per thread gave a median of 20.3 us on
     * a quiet machine where fixed halves gave 16.9 us, 1 per thread 18.9 us; under load both were about one
     * thread's latency. Chunks are whole multiples of {@link #NODE_ALIGN} nodes.
     */
    static final int CHUNKS_PER_THREAD = 1;
    /** Chunk sizes are multiples of this: the vector kernel computes nodes in blocks. */
    static final int NODE_ALIGN = 8;
    /**
     * A worker's chunk is taken over once the caller, out of chunks, has waited this many times its own
     * time per chunk: a running worker finishes well within that, a descheduled one would take far longer.
     */
    static final int GRACE_CHUNKS = 2;
    /** The grace period when the caller computed no chunk to time (a worker claimed them all). */
    static final long DEFAULT_GRACE_NANOS = 20_000;

    /** The next-chunk half of a closed generation's {@link #claims}: above any chunk count, so nothing is claimed. */
    private static final int CLOSED = Integer.MAX_VALUE;
    // a chunk's state (low 32 bits of its entry in states; the generation is in the high 32 bits)
    private static final int PENDING = 0;   // not finished: being computed by whoever claimed it
    private static final int COMMITTING = 1; // a worker's result is being copied into out
    private static final int DONE = 2;      // in out
    private static final int TAKEN = 3;     // the caller took it over; the worker's result is discarded
    /** 8 longs: one 64-byte cache line per chunk state. */
    private static final int STRIDE = 8;

    private final int parts;
    private final Thread[] threads;
    private final float[][] scratch;
    private final float[][] privateOut;

    // the task of the current generation: written by the caller before it publishes the generation
    private MixtureKernel kernel;
    private float[] x;
    private int xOff;
    private int rows;
    private MixtureBank bank;
    private float[] out;
    private int outOff;
    private int chunkNodes;
    private int chunks;

    /** The caller's generation (one per layer); only the caller reads and writes it. */
    private int generation;
    /**
     * The generation (high 32 bits) and its next unclaimed chunk (low 32 bits); idle workers watch it for a new
     * generation. A chunk is claimed by a CAS that also checks the generation, so a worker that wakes late
     * cannot claim a later layer's chunk; the caller closes a generation (next = {@link #CLOSED}) before it
     * writes the next layer's task.
     */
    private final AtomicLong claims = new AtomicLong();
    /**
     * Per chunk, {@link #STRIDE} entries apart (a cache line each: the caller and a worker touching
     * neighbouring chunks do not fight over one line): generation (high 32 bits) and state (low 32 bits).
     */
    private final AtomicLongArray states;
    /** Per chunk: whether the caller claimed it (the caller's own bookkeeping, never shared). */
    private final boolean[] callerOwns;
    private volatile boolean stopped;
    private volatile Throwable failure;

    /**
     * @param outputLength the largest {@code rows x nodes} of a layer (each worker's private output buffer)
     */
    NodeRangeWorkers(int threads, int scratchLength, int outputLength) {
        this(threads, scratchLength, outputLength, true);
    }

    /** @param start false only in tests: workers that never run, as on a machine with no free core */
    NodeRangeWorkers(int threads, int scratchLength, int outputLength, boolean start) {
        this.parts = threads;
        this.threads = new Thread[threads - 1];
        this.scratch = new float[threads - 1][scratchLength];
        this.privateOut = new float[threads - 1][outputLength];
        this.states = new AtomicLongArray(threads * CHUNKS_PER_THREAD * STRIDE);
        this.callerOwns = new boolean[threads * CHUNKS_PER_THREAD];
        for (int w = 0; w < this.threads.length; w++) {
            int worker = w;
            Thread t = new Thread(() -> work(worker), "ugmm-workspace-worker-" + (w + 1));
            t.setDaemon(true);
            this.threads[w] = t;
            if (start) {
                t.start();
            }
        }
    }

    /** Number of threads a layer is split over, the caller included. */
    int threads() {
        return parts;
    }

    /**
     * Computes every node of {@code bank} for {@code rows} rows, the caller claiming chunks (with
     * {@code callerScratch}) like the workers, and returning once every chunk is in {@code out}.
     */
    void forward(MixtureKernel kernel, float[] x, int xOff, int rows, MixtureBank bank, float[] out, int outOff,
                 float[] callerScratch) {
        int m = bank.mixtures();
        this.kernel = kernel;
        this.x = x;
        this.xOff = xOff;
        this.rows = rows;
        this.bank = bank;
        this.out = out;
        this.outOff = outOff;
        this.chunkNodes = chunkNodes(m, parts);
        this.chunks = (m + chunkNodes - 1) / chunkNodes;
        int g = ++generation;
        long pending = entry(g, PENDING);
        for (int c = 0; c < chunks; c++) {
            states.setPlain(c * STRIDE, pending);
            callerOwns[c] = false;
        }
        claims.set((long) g << 32); // publishes everything above to any worker that claims a chunk of g
        for (Thread t : threads) {
            LockSupport.unpark(t);
        }
        boolean completed = false;
        long graceNanos = DEFAULT_GRACE_NANOS;
        try {
            long start = System.nanoTime();
            int callerChunks = 0;
            int chunk;
            while ((chunk = claim(g)) >= 0) {
                callerOwns[chunk] = true;
                computeChunk(chunk, out, callerScratch);
                callerChunks++;
            }
            if (callerChunks > 0) {
                graceNanos = GRACE_CHUNKS * (System.nanoTime() - start) / callerChunks;
            }
            completed = true;
        } finally {
            // close the generation (after an exception, chunks nobody claimed stay undone), then the barrier:
            // never return (not even with an exception) while a worker may still write to out
            int claimed = Math.min((int) claims.getAndSet(((long) g << 32) | CLOSED), chunks);
            awaitOrTakeOver(g, claimed, graceNanos, completed, callerScratch);
            this.x = null; // do not keep the caller's arrays reachable between calls
            this.out = null;
        }
        Throwable t = failure;
        if (t != null) {
            failure = null;
            throw new IllegalStateException("a workspace worker thread failed", t);
        }
    }

    /**
     * The barrier: waits until each of the first {@code claimed} chunks is done, taking over (and, if
     * {@code compute}, computing) any a worker has not committed within {@code graceNanos}.
     */
    private void awaitOrTakeOver(int g, int claimed, long graceNanos, boolean compute, float[] callerScratch) {
        long pending = entry(g, PENDING);
        long deadline = System.nanoTime() + graceNanos;
        Throwable thrown = null;
        for (int c = 0; c < claimed; c++) {
            long s;
            while (!callerOwns[c] && (s = states.get(c * STRIDE)) != entry(g, DONE)) {
                if (s == pending && (!compute || System.nanoTime() - deadline > 0)
                        && states.compareAndSet(c * STRIDE, pending, entry(g, TAKEN))) {
                    if (compute) {
                        try {
                            computeChunk(c, out, callerScratch);
                        } catch (Throwable e) {
                            // still wait out (or take over) the other workers' chunks before throwing
                            thrown = e;
                            compute = false;
                        }
                    }
                    break;
                }
                Thread.onSpinWait();
            }
        }
        if (thrown instanceof RuntimeException e) {
            throw e;
        } else if (thrown instanceof Error e) {
            throw e;
        } else if (thrown != null) {
            throw new IllegalStateException(thrown);
        }
    }

    /** Nodes per chunk: about {@link #CHUNKS_PER_THREAD} chunks per thread, a multiple of {@link #NODE_ALIGN}. */
    static int chunkNodes(int mixtures, int threads) {
        int even = (mixtures + threads * CHUNKS_PER_THREAD - 1) / (threads * CHUNKS_PER_THREAD);
        return (even + NODE_ALIGN - 1) / NODE_ALIGN * NODE_ALIGN;
    }

    private static long entry(int generation, int state) {
        return ((long) generation << 32) | state;
    }

    /** The next unclaimed chunk of generation {@code g}, now claimed by this thread; -1 when none is left. */
    private int claim(int g) {
        while (true) {
            long c = claims.get();
            int next = (int) c;
            if ((int) (c >>> 32) != g || next >= chunks) {
                return -1;
            }
            if (claims.compareAndSet(c, c + 1)) {
                return next;
            }
        }
    }

    private void computeChunk(int chunk, float[] target, float[] chunkScratch) {
        int m = bank.mixtures();
        int from = chunk * chunkNodes;
        kernel.forward(x, xOff, rows, bank, from, Math.min(m, from + chunkNodes), target, outOff, chunkScratch);
    }

    private void work(int w) {
        int seen = 0;
        while (true) {
            int g = awaitGeneration(seen);
            if (stopped) {
                return;
            }
            seen = g;
            int chunk;
            while ((chunk = claim(g)) >= 0) {
                workOn(w, g, chunk);
            }
        }
    }

    /**
     * Computes a claimed chunk into this worker's own buffer and, unless the caller took it over, commits it.
     * When the chunk was taken over the caller may already be on a later layer, so the task fields read here
     * may be a mix of two layers': the result (or an exception) is then dropped, and nothing outside this
     * worker's own buffers was written. When the commit succeeds, the caller was still waiting for this
     * chunk, so the fields were all this layer's.
     */
    private void workOn(int w, int g, int chunk) {
        long pending = entry(g, PENDING);
        MixtureKernel k = kernel;
        float[] in = x;
        int inOff = xOff;
        int n = rows;
        MixtureBank b = bank;
        float[] target = out;
        int targetOff = outOff;
        int m = b == null ? 0 : b.mixtures();
        int from = chunk * chunkNodes;
        int to = Math.min(m, from + chunkNodes);
        float[] mine = privateOut[w];
        Throwable thrown = null;
        try {
            // row r's nodes at r * m in its own buffer, as from targetOff in out
            k.forward(in, inOff, n, b, from, to, mine, 0, scratch[w]);
        } catch (Throwable t) {
            thrown = t;
        }
        if (!states.compareAndSet(chunk * STRIDE, pending, entry(g, COMMITTING))) {
            return; // taken over: the caller computed it, and may be past this layer; drop ours
        }
        if (thrown != null) {
            failure = thrown;
        } else {
            for (int r = 0; r < n; r++) {
                System.arraycopy(mine, r * m + from, target, targetOff + r * m + from, to - from);
            }
        }
        states.set(chunk * STRIDE, entry(g, DONE));
    }

    /** Spins, then parks, until a generation other than {@code seen} is published or the workers stop. */
    private int awaitGeneration(int seen) {
        long spinUntil = System.nanoTime() + SPIN_NANOS;
        int g;
        while ((g = (int) (claims.get() >>> 32)) == seen && !stopped) {
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
