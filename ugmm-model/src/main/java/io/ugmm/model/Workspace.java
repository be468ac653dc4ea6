package io.ugmm.model;

import io.ugmm.simd.MixtureBank;
import io.ugmm.simd.MixtureKernel;

import java.lang.ref.Cleaner;
import java.util.ConcurrentModificationException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Reusable scratch memory for {@link UgmmNetwork#forward(float[], int, int, float[], int, Workspace)}:
 * two activation buffers and the kernel's scratch, sized for one network and a maximum batch.
 * A workspace is not thread-safe: give each thread its own (they are cheap), and reuse it across calls
 * so the hot path allocates nothing. Two threads using one workspace at the same time would overwrite each
 * other's activations; that is detected and refused with a {@link ConcurrentModificationException}.
 *
 * <p>A workspace made with {@link UgmmNetwork#newWorkspace(int, int) newWorkspace(maxRows, threads)} and
 * {@code threads > 1} also owns {@code threads - 1} worker threads that compute part of each large layer's
 * nodes during the calling thread's forward pass (lower latency for services with idle cores; the results
 * are bit-identical; a worker that is not running does not hold the caller up: see NodeRangeWorkers). Idle
 * workers spin briefly, then park. {@link #close()} stops them; a workspace that is
 * dropped without closing stops them when it is garbage collected.
 */
public final class Workspace implements AutoCloseable {
    /** Stops the workers of a multi-threaded workspace that was dropped without {@link #close()}. */
    private static final Cleaner CLEANER = Cleaner.create();
    /**
     * Layers with fewer terms (rows x nodes x inputs) than this run on the calling thread alone: the hand-off
     * costs about a microsecond. Measured at batch 1 on 784 -> 128 -> 64 -> 10: splitting the 128 -> 64 layer
     * too (8192 terms, ~3 us) took two threads' latency from 1.63x to 1.76x better than one thread's.
     */
    static final long MIN_PARALLEL_TERMS = 4_096;

    final int maxRows;
    final float[] ping;
    final float[] pong;
    final float[] scratch;
    private final UgmmNetwork owner;
    /** Set while a forward pass uses this workspace: a second, overlapping user is refused, not silently mixed. */
    private final AtomicBoolean busy = new AtomicBoolean();
    /** The worker threads, or null for a single-threaded workspace. */
    private final NodeRangeWorkers workers;
    private final Cleaner.Cleanable cleanable;

    Workspace(UgmmNetwork owner, int maxRows) {
        this(owner, maxRows, 1);
    }

    Workspace(UgmmNetwork owner, int maxRows, int threads) {
        if (maxRows < 1) {
            throw new IllegalArgumentException("a workspace needs room for at least 1 row, got " + maxRows);
        }
        if (threads < 1) {
            throw new IllegalArgumentException("a workspace needs at least 1 thread, got " + threads);
        }
        this.owner = owner;
        this.maxRows = maxRows;
        int widest = 0;
        int widestInput = owner.inputs();
        for (UgmmLayer layer : owner.layers()) {
            widest = Math.max(widest, layer.nodes());
            widestInput = Math.max(widestInput, layer.inputs());
        }
        this.ping = new float[Math.multiplyExact(maxRows, widest)];
        this.pong = new float[Math.multiplyExact(maxRows, widest)];
        this.scratch = new float[MixtureKernel.scratchLength(widestInput)];
        if (threads == 1) {
            this.workers = null;
            this.cleanable = null;
        } else {
            this.workers = new NodeRangeWorkers(threads, scratch.length, ping.length);
            this.cleanable = CLEANER.register(this, workers::stop);
        }
    }

    /** Threads a forward pass with this workspace uses, the calling thread included (1 unless asked). */
    public int threads() {
        return workers == null ? 1 : workers.threads();
    }

    /**
     * One layer's forward pass for {@code rows} rows: split over the worker threads when there are any and
     * the layer is large enough, else on the calling thread.
     */
    void forwardLayer(MixtureKernel kernel, float[] x, int xOff, int rows, MixtureBank bank, float[] out,
                      int outOff) {
        long terms = (long) rows * bank.mixtures() * bank.components();
        if (workers == null || terms < MIN_PARALLEL_TERMS || bank.mixtures() < workers.threads()) {
            kernel.forward(x, xOff, rows, bank, out, outOff, scratch);
        } else {
            workers.forward(kernel, x, xOff, rows, bank, out, outOff, scratch);
        }
    }

    /**
     * Stops this workspace's worker threads, if it has any; a closed multi-threaded workspace refuses
     * further use. Does nothing for a single-threaded one, which needs no closing.
     *
     * @throws ConcurrentModificationException when a forward pass is using this workspace
     */
    @Override
    public void close() {
        if (cleanable == null) {
            return;
        }
        claim();
        try {
            cleanable.clean();
        } finally {
            exit();
        }
    }

    /** The largest batch this workspace serves in one call. */
    public int maxRows() {
        return maxRows;
    }

    void enter() {
        claim();
        if (workers != null && workers.stopped()) {
            busy.set(false);
            throw new IllegalStateException("this Workspace was closed; its worker threads are gone");
        }
    }

    private void claim() {
        if (!busy.compareAndSet(false, true)) {
            throw new ConcurrentModificationException("this Workspace is in use by another thread at the same time;"
                    + " its scratch cannot be shared: give each thread its own (UgmmNetwork.newWorkspace)");
        }
    }

    void exit() {
        busy.set(false);
    }

    boolean fits(UgmmNetwork network) {
        return owner.sameShape(network);
    }
}
