package io.ugmm.model.internal;

import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;

/**
 * Plumbing shared by the training loops of the model families (uGMM-NN, mixture density network). Public for
 * their packages; the package is not exported from the module.
 */
public final class TrainingLoops {
    private TrainingLoops() {
    }

    /** Fisher–Yates shuffle of {@code order} in place, drawing from {@code random}. */
    public static void shuffle(int[] order, SplittableRandom random) {
        for (int i = order.length - 1; i > 0; i--) {
            int k = random.nextInt(i + 1);
            int tmp = order[i];
            order[i] = order[k];
            order[k] = tmp;
        }
    }

    /**
     * Waits for every task, so none is still writing shared buffers when this returns or throws; then throws
     * {@code earlier} (a failure of the caller's own share) if not null, else the first task's failure.
     */
    public static void awaitAll(List<Future<?>> pending, RuntimeException earlier) {
        RuntimeException failure = earlier;
        for (Future<?> f : pending) {
            try {
                f.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("training was interrupted", e);
            } catch (ExecutionException e) {
                if (failure == null) {
                    failure = e.getCause() instanceof RuntimeException r ? r
                            : new IllegalStateException("a training thread failed: " + e.getCause(), e.getCause());
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }
}
