package io.ugmm.cli;

import io.ugmm.datasets.Dataset;
import io.ugmm.model.Inference;
import io.ugmm.model.UgmmNetwork;
import io.ugmm.model.Workspace;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Accuracy and mean log-likelihood of a network on prepared data.
 * <ul>
 *   <li>classifier (ce): prediction = argmax of the root; log-likelihood = {@code log softmax(root)[label]};</li>
 *   <li>generative (nll, label in the last column): prediction = MPE over the label; log-likelihood = the
 *       root's log-density of the row with its true label.</li>
 * </ul>
 *
 * @param nll mean negative log-likelihood per row (the training loss's figure)
 */
record Evaluation(int rows, double accuracy, double nll) {

    static Evaluation of(UgmmNetwork net, Dataset data, boolean generative, int classes, int threads) {
        int rows = data.rows();
        if (rows == 0) {
            return new Evaluation(0, Double.NaN, Double.NaN);
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
                    double[] r = generative ? generative(net, data, from, to, classes) : classifier(net, data, from, to);
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

    /** {correct, summed log p(label | x)} over rows [from, to). */
    private static double[] classifier(UgmmNetwork net, Dataset data, int from, int to) {
        int n = net.inputs();
        int k = net.outputs();
        int chunk = 256;
        Workspace ws = net.newWorkspace(chunk);
        float[] out = new float[chunk * k];
        double correct = 0;
        double logLik = 0;
        for (int b = from; b < to; b += chunk) {
            int count = Math.min(chunk, to - b);
            net.forward(data.features, b * n, count, out, 0, ws);
            for (int r = 0; r < count; r++) {
                int label = data.labels[b + r];
                int best = UgmmNetwork.argmax(out, r * k, k);
                correct += best == label ? 1 : 0;
                double max = out[r * k + best];
                double sum = 0;
                for (int c = 0; c < k; c++) {
                    sum += Math.exp(out[r * k + c] - max);
                }
                logLik += out[r * k + label] - max - Math.log(sum);
            }
        }
        return new double[]{correct, logLik};
    }

    /** {correct by MPE, summed root log-density at the true label} over rows [from, to). */
    private static double[] generative(UgmmNetwork net, Dataset data, int from, int to, int classes) {
        int n = net.inputs();
        int rows = to - from;
        float[] x = java.util.Arrays.copyOfRange(data.features, from * n, to * n);
        int[] best = Inference.mpe(net, x, rows, n - 1, classes);
        float[] density = net.forwardBatch(x, rows);
        double correct = 0;
        double logLik = 0;
        for (int r = 0; r < rows; r++) {
            correct += best[r] == data.labels[from + r] ? 1 : 0;
            logLik += density[r];
        }
        return new double[]{correct, logLik};
    }
}
