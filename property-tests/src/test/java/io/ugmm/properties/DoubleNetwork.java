package io.ugmm.properties;

import io.ugmm.model.UgmmLayer;
import io.ugmm.model.UgmmNetwork;

import java.util.List;

/**
 * A uGMM network evaluated in double straight from the formulas of DESIGN.md section 1: the yardstick for
 * gradients. Parameters are {@code [layer][which][node * inputs + input]} with which = 0 mu, 1 std, 2 k.
 */
final class DoubleNetwork {
    private static final double HALF_LOG_TWO_PI = 0.5 * Math.log(2 * Math.PI);

    final int[] widths;
    final double[][][] params;
    /** Dropped logits per layer ({@code null}: none). */
    final boolean[][] dropped;

    DoubleNetwork(UgmmNetwork net, boolean[][] dropped) {
        List<UgmmLayer> layers = net.layers();
        widths = new int[layers.size() + 1];
        widths[0] = net.inputs();
        params = new double[layers.size()][3][];
        for (int l = 0; l < layers.size(); l++) {
            UgmmLayer layer = layers.get(l);
            widths[l + 1] = layer.nodes();
            params[l][0] = toDouble(layer.mu());
            params[l][1] = toDouble(layer.logStd());
            params[l][2] = toDouble(layer.logits());
        }
        this.dropped = dropped;
    }

    static double[] toDouble(float[] a) {
        double[] d = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            d[i] = a[i];
        }
        return d;
    }

    /** Root outputs for every row, {@code rows x outputs}. */
    double[] forward(double[] x, int rows) {
        double[] in = x;
        for (int l = 0; l < params.length; l++) {
            int n = widths[l];
            int m = widths[l + 1];
            double[] out = new double[rows * m];
            for (int b = 0; b < rows; b++) {
                for (int j = 0; j < m; j++) {
                    double[] t = new double[n];
                    double kMax = Double.NEGATIVE_INFINITY;
                    for (int i = 0; i < n; i++) {
                        if (!isDropped(l, j * n + i)) {
                            kMax = Math.max(kMax, params[l][2][j * n + i]);
                        }
                    }
                    double kSum = 0;
                    for (int i = 0; i < n; i++) {
                        if (!isDropped(l, j * n + i)) {
                            kSum += Math.exp(params[l][2][j * n + i] - kMax);
                        }
                    }
                    double kLse = kMax + Math.log(kSum);
                    double max = Double.NEGATIVE_INFINITY;
                    for (int i = 0; i < n; i++) {
                        int e = j * n + i;
                        if (isDropped(l, e)) {
                            t[i] = Double.NEGATIVE_INFINITY;
                            continue;
                        }
                        double s = params[l][1][e];
                        double z = (in[b * n + i] - params[l][0][e]) / Math.exp(s);
                        t[i] = params[l][2][e] - kLse - 0.5 * z * z - s - HALF_LOG_TWO_PI;
                        max = Math.max(max, t[i]);
                    }
                    double sum = 0;
                    for (double v : t) {
                        sum += Math.exp(v - max);
                    }
                    out[b * m + j] = max + Math.log(sum);
                }
            }
            in = out;
        }
        return in;
    }

    private boolean isDropped(int layer, int e) {
        return dropped != null && dropped[layer] != null && dropped[layer][e];
    }

    /** Mean cross-entropy (labels != null) or mean negative root log-density. */
    double loss(double[] x, int rows, int[] labels) {
        double[] out = forward(x, rows);
        int c = widths[widths.length - 1];
        double total = 0;
        for (int b = 0; b < rows; b++) {
            if (labels == null) {
                total -= out[b];
            } else {
                double max = Double.NEGATIVE_INFINITY;
                for (int k = 0; k < c; k++) {
                    max = Math.max(max, out[b * c + k]);
                }
                double sum = 0;
                for (int k = 0; k < c; k++) {
                    sum += Math.exp(out[b * c + k] - max);
                }
                total += max + Math.log(sum) - out[b * c + labels[b]];
            }
        }
        return total / rows;
    }
}
