package io.ugmm.cli;

import io.ugmm.datasets.Dataset;
import io.ugmm.model.Predictor;
import io.ugmm.model.UgmmModel;
import io.ugmm.model.train.GenerativeObjective;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Accuracy and mean log-likelihood of a model on raw labelled rows, through {@link UgmmModel}'s predictor
 * (so exactly what {@code ugmm predict} and a Java caller get).
 * <ul>
 *   <li>classifier (ce): log-likelihood = {@code log softmax(root)[label]};</li>
 *   <li>generative (nll): prediction by MPE over the label; log-likelihood = the root's log-density of the
 *       row with its true label for a jointly trained model, {@code log p(label | row)} (the softmax of the
 *       root over the label states) for a conditionally trained one.</li>
 * </ul>
 *
 * @param nll mean negative log-likelihood per row (the training loss's figure)
 */
record Evaluation(int rows, double accuracy, double nll) {
    private static final int CHUNK = 256;

    static Evaluation of(UgmmModel model, Dataset data, int threads) {
        int rows = data.rows();
        if (rows == 0) {
            return new Evaluation(0, Double.NaN, Double.NaN);
        }
        if (data.features() != model.inputCount()) {
            throw new IllegalArgumentException(data.name() + " has " + data.features() + " features per row but the"
                    + " model takes " + model.inputCount());
        }
        int parts = Math.max(1, Math.min(threads, rows / 64));
        double[] correct = new double[parts];
        double[] logLik = new double[parts];
        ExecutorService pool = parts > 1 ? Executors.newFixedThreadPool(parts) : null;
        try {
            Future<?>[] futures = new Future<?>[parts];
            for (int p = 0; p < parts; p++) {
                int part = p;
                int from = rows * p / parts;
                int to = rows * (p + 1) / parts;
                Runnable task = () -> {
                    double[] r = score(model, data, from, to);
                    correct[part] = r[0];
                    logLik[part] = r[1];
                };
                if (pool == null) {
                    task.run();
                } else {
                    futures[p] = pool.submit(task);
                }
            }
            if (pool != null) {
                for (Future<?> f : futures) {
                    f.get();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("evaluation interrupted", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException("evaluation failed: " + e.getCause().getMessage(), e.getCause());
        } finally {
            if (pool != null) {
                pool.shutdownNow();
            }
        }
        double c = 0;
        double ll = 0;
        for (int p = 0; p < parts; p++) {
            c += correct[p];
            ll += logLik[p];
        }
        return new Evaluation(rows, c / rows, -ll / rows);
    }

    /** {correct, summed log-likelihood of the true label} over rows [from, to), on the calling thread. */
    private static double[] score(UgmmModel model, Dataset data, int from, int to) {
        int n = model.inputCount();
        int k = model.classCount();
        Predictor predictor = model.newPredictor(CHUNK);
        float[] scores = new float[CHUNK * k];
        int[] classes = new int[CHUNK];
        float[] logProbabilities = new float[k];
        double correct = 0;
        double logLik = 0;
        for (int b = from; b < to; b += CHUNK) {
            int count = Math.min(CHUNK, to - b);
            predictor.predict(data.features, b * n, count, scores, null, classes);
            for (int r = 0; r < count; r++) {
                int label = data.labels[b + r];
                correct += classes[r] == label ? 1 : 0;
                if (model.generative() && model.generativeObjective().orElseThrow() == GenerativeObjective.JOINT) {
                    logLik += scores[r * k + label];
                } else {
                    model.network().kernel().logSoftmax(scores, r * k, k, logProbabilities, 0);
                    logLik += logProbabilities[label];
                }
            }
        }
        return new double[]{correct, logLik};
    }
}
