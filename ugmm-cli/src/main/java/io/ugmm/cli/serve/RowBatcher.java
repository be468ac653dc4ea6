package io.ugmm.cli.serve;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * Dynamic batching: requests queue their rows here, and each worker thread takes as many queued requests as
 * fit in {@code maxBatch} rows (optionally waiting {@code maxWaitNanos} for more), scores them in one batched
 * forward pass and hands every request its slice of the results.
 *
 * <p>The queue is bounded in rows: a request that would take it past {@code maxQueueRows} is refused at once
 * ({@link ErrorKind#OVERLOADED}), so overload costs the client a fast 503 instead of an ever longer wait. A
 * request is always accepted into an empty queue, so one request larger than the bound still runs (its
 * size is bounded by the body limit). Requests for different model versions (around a reload) are never
 * mixed in one batch.
 */
final class RowBatcher {
    private final int maxBatch;
    private final long maxQueueRows;
    private final long maxWaitNanos;
    private final ServerMetrics metrics;
    private final Consumer<Throwable> bugReporter;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition notEmpty = lock.newCondition();
    private final ArrayDeque<ScoringJob> queue = new ArrayDeque<>();
    private final List<Thread> workers = new ArrayList<>();
    private long queuedRows;
    private boolean stopping;

    RowBatcher(int threads, int maxBatch, long maxQueueRows, long maxWaitNanos, ServerMetrics metrics,
               Consumer<Throwable> bugReporter) {
        this.maxBatch = maxBatch;
        this.maxQueueRows = maxQueueRows;
        this.maxWaitNanos = maxWaitNanos;
        this.metrics = metrics;
        this.bugReporter = bugReporter;
        metrics.queuedRows(this::queuedRows);
        for (int i = 0; i < threads; i++) {
            Thread t = new Thread(new Worker(), "ugmm-score-" + i);
            t.setDaemon(true);
            workers.add(t);
            t.start();
        }
    }

    /** Queues a job, or refuses it at once when the queue is full or the batcher is stopping. */
    void submit(ScoringJob job) throws RequestException {
        lock.lock();
        try {
            if (stopping) {
                throw new RequestException(503, ErrorKind.SHUTTING_DOWN, "the server is shutting down");
            }
            if (queuedRows > 0 && queuedRows + job.rows > maxQueueRows) {
                throw new RequestException(503, ErrorKind.OVERLOADED, "overloaded: " + queuedRows
                        + " rows are already waiting (--max-queue-rows " + maxQueueRows + "); retry shortly");
            }
            queue.addLast(job);
            queuedRows += job.rows;
            notEmpty.signal();
        } finally {
            lock.unlock();
        }
    }

    long queuedRows() {
        lock.lock();
        try {
            return queuedRows;
        } finally {
            lock.unlock();
        }
    }

    /** Stops taking jobs, lets the workers finish every queued one, and waits for them. */
    void shutdown(long timeout, TimeUnit unit) throws InterruptedException {
        lock.lock();
        try {
            stopping = true;
            notEmpty.signalAll();
        } finally {
            lock.unlock();
        }
        long deadline = System.nanoTime() + unit.toNanos(timeout);
        for (Thread t : workers) {
            TimeUnit.NANOSECONDS.timedJoin(t, Math.max(1, deadline - System.nanoTime()));
        }
    }

    /** Takes the next batch into {@code batch}; returns its row count, or −1 once stopped and drained. */
    private int takeBatch(List<ScoringJob> batch) throws InterruptedException {
        lock.lock();
        try {
            while (queue.isEmpty()) {
                if (stopping) {
                    return -1;
                }
                notEmpty.await();
            }
            ScoringJob first = queue.pollFirst();
            batch.add(first);
            int rows = first.rows;
            long waitLeft = maxWaitNanos;
            while (rows < maxBatch) {
                ScoringJob next = queue.peekFirst();
                if (next == null) {
                    if (waitLeft <= 0 || stopping) {
                        break;
                    }
                    waitLeft = notEmpty.awaitNanos(waitLeft);
                    continue;
                }
                if (next.model != first.model || rows + next.rows > maxBatch) {
                    break;
                }
                batch.add(queue.pollFirst());
                rows += next.rows;
            }
            queuedRows -= rows;
            if (!queue.isEmpty()) {
                notEmpty.signal(); // another worker can start on the rest
            }
            return rows;
        } finally {
            lock.unlock();
        }
    }

    /** One scoring thread: its own scorer and buffers, rebuilt when the model changes. */
    private final class Worker implements Runnable {
        private ScoringModel model;
        private ScoringModel.RowScorer scorer;
        private float[] x;
        private float[] probabilities;
        private int[] classIndex;
        private boolean[] outOfRange;

        @Override
        public void run() {
            List<ScoringJob> batch = new ArrayList<>();
            while (true) {
                batch.clear();
                int rows;
                try {
                    rows = takeBatch(batch);
                } catch (InterruptedException e) {
                    return;
                }
                if (rows < 0) {
                    return;
                }
                metrics.batch(rows);
                try {
                    scoreRejectingBadRows(batch, rows);
                } catch (RuntimeException | Error e) {
                    bugReporter.accept(e);
                    for (ScoringJob job : batch) {
                        job.fail(e);
                    }
                }
            }
        }

        /**
         * Scores the batch; a row the model refuses fails only its own request, and the rest of the batch is
         * scored again without it, so one client's bad row never costs another client its answer.
         */
        private void scoreRejectingBadRows(List<ScoringJob> batch, int rows) {
            while (true) {
                try {
                    score(batch, rows);
                    for (ScoringJob job : batch) {
                        job.complete();
                    }
                    return;
                } catch (RowRejectedException e) {
                    int first = 0;
                    for (ScoringJob job : batch) {
                        if (e.row() < first + job.rows) {
                            job.reject(e.toRequestException(e.row() - first));
                            batch.remove(job);
                            rows -= job.rows;
                            break;
                        }
                        first += job.rows;
                    }
                    if (batch.isEmpty()) {
                        return;
                    }
                }
            }
        }

        private void score(List<ScoringJob> batch, int rows) {
            ScoringModel jobModel = batch.get(0).model;
            if (jobModel != model) {
                model = jobModel;
                scorer = model.newScorer(maxBatch);
                int width = model.inputCount();
                int classes = model.classNames().size();
                x = new float[maxBatch * width];
                probabilities = new float[maxBatch * classes];
                classIndex = new int[maxBatch];
                outOfRange = new boolean[maxBatch];
            }
            if (batch.size() == 1 && rows <= maxBatch) {
                ScoringJob job = batch.get(0); // one request: score it in place, nothing to copy
                scorer.score(job.features, rows, job.probabilities, job.classIndex, job.outOfRange);
                return;
            }
            if (batch.size() == 1) {
                scoreInChunks(batch.get(0));
                return;
            }
            int width = model.inputCount();
            int classes = model.classNames().size();
            int row = 0;
            for (ScoringJob job : batch) {
                System.arraycopy(job.features, 0, x, row * width, job.rows * width);
                row += job.rows;
            }
            scorer.score(x, rows, probabilities, classIndex, outOfRange);
            row = 0;
            for (ScoringJob job : batch) {
                copyOut(row, job, 0, job.rows, classes);
                row += job.rows;
            }
        }

        /** A request larger than one batch: its rows in slices of {@code maxBatch}. */
        private void scoreInChunks(ScoringJob job) {
            int width = model.inputCount();
            int classes = model.classNames().size();
            for (int from = 0; from < job.rows; from += maxBatch) {
                int n = Math.min(maxBatch, job.rows - from);
                System.arraycopy(job.features, from * width, x, 0, n * width);
                try {
                    scorer.score(x, n, probabilities, classIndex, outOfRange);
                } catch (RowRejectedException e) {
                    throw e.shifted(from);
                }
                copyOut(0, job, from, n, classes);
            }
        }

        private void copyOut(int batchRow, ScoringJob job, int jobRow, int n, int classes) {
            System.arraycopy(probabilities, batchRow * classes, job.probabilities, jobRow * classes, n * classes);
            System.arraycopy(classIndex, batchRow, job.classIndex, jobRow, n);
            System.arraycopy(outOfRange, batchRow, job.outOfRange, jobRow, n);
        }
    }
}
