package io.ugmm.cli.serve;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** One request's rows on their way through the {@link RowBatcher}, and its results once scored. */
final class ScoringJob {
    final ScoringModel model;
    final float[] features;
    final int rows;
    final float[] probabilities;
    final int[] classIndex;
    final boolean[] outOfRange;
    private final CountDownLatch done = new CountDownLatch(1);
    private volatile Throwable failure;

    ScoringJob(ScoringModel model, PredictRequest request) {
        this.model = model;
        this.features = request.features();
        this.rows = request.rowCount();
        this.probabilities = new float[Math.multiplyExact(rows, model.classNames().size())];
        this.classIndex = new int[rows];
        this.outOfRange = new boolean[rows];
    }

    void complete() {
        done.countDown();
    }

    /** The model refused one of this request's rows: the client gets this 400. */
    void reject(RequestException refusal) {
        failure = refusal;
        done.countDown();
    }

    void fail(Throwable t) {
        failure = t;
        done.countDown();
    }

    /** Waits for the result; false when it did not come in time. */
    boolean await(long timeout, TimeUnit unit) throws InterruptedException {
        return done.await(timeout, unit);
    }

    /** Why scoring failed (a {@link RequestException} when a row was refused), or null when it succeeded. */
    Throwable failure() {
        return failure;
    }
}
