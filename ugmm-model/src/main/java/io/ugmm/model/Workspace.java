package io.ugmm.model;

import io.ugmm.simd.MixtureKernel;

import java.util.ConcurrentModificationException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Reusable scratch memory for {@link UgmmNetwork#forward(float[], int, int, float[], int, Workspace)}:
 * two activation buffers and the kernel's scratch, sized for one network and a maximum batch.
 * A workspace is not thread-safe: give each thread its own (they are cheap), and reuse it across calls
 * so the hot path allocates nothing. Two threads using one workspace at the same time would overwrite each
 * other's activations; that is detected and refused with a {@link ConcurrentModificationException}.
 */
public final class Workspace {
    final int maxRows;
    final float[] ping;
    final float[] pong;
    final float[] scratch;
    private final UgmmNetwork owner;
    /** Set while a forward pass uses this workspace: a second, overlapping user is refused, not silently mixed. */
    private final AtomicBoolean busy = new AtomicBoolean();

    Workspace(UgmmNetwork owner, int maxRows) {
        if (maxRows < 1) {
            throw new IllegalArgumentException("a workspace needs room for at least 1 row, got " + maxRows);
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
    }

    /** The largest batch this workspace serves in one call. */
    public int maxRows() {
        return maxRows;
    }

    void enter() {
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
