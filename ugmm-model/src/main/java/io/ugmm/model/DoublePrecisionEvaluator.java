package io.ugmm.model;

import io.ugmm.simd.LogSpace;
import java.util.List;
import java.util.Objects;

/**
 * Evaluates a network in double precision throughout: parameters widened once, activations kept in double
 * between layers, {@link Math#exp} for every term. About 20x slower than the vector kernel and meant for
 * checking, not serving: a deep uGMM-NN can amplify float rounding of its activations through steep
 * components (σ near 1e-3) far beyond float resolution (see the README's Accuracy section), and this
 * evaluation shows what the float path's outputs should be.
 *
 * <p>Immutable and thread-safe; it reads the same parameters as the network it was made from.
 */
public final class DoublePrecisionEvaluator {
    private static final double HALF_LOG_TWO_PI = 0.5 * Math.log(2 * Math.PI);

    private final int inputs;
    private final List<Layer> layers;

    /** One layer's parameters in double: means, 1/σ and log w − log σ − ½ log 2π, [nodes][inputs]. */
    private record Layer(int inputs, int nodes, double[] mean, double[] inverseSigma, double[] bias) {
    }

    public DoublePrecisionEvaluator(UgmmNetwork network) {
        Objects.requireNonNull(network, "network");
        this.inputs = network.inputs();
        this.layers = network.layers().stream().map(DoublePrecisionEvaluator::widen).toList();
    }

    private static Layer widen(UgmmLayer layer) {
        int n = layer.inputs();
        int m = layer.nodes();
        float[] mu = layer.mu();
        float[] logStd = layer.logStd();
        double[] logWeights = UgmmLayer.logWeightsInDouble(m, n, layer.logits());
        double[] mean = new double[mu.length];
        double[] inverseSigma = new double[mu.length];
        double[] bias = new double[mu.length];
        for (int e = 0; e < mu.length; e++) {
            mean[e] = mu[e];
            inverseSigma[e] = Math.exp(-(double) logStd[e]);
            bias[e] = logWeights[e] - logStd[e] - HALF_LOG_TWO_PI;
        }
        return new Layer(n, m, mean, inverseSigma, bias);
    }

    /** The root's log-densities for {@code rows} rows of float features, row-major; rejects non-finite inputs. */
    public double[] forward(float[] x, int rows) {
        Objects.requireNonNull(x, "x");
        double[] wide = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            wide[i] = x[i];
        }
        return forward(wide, rows);
    }

    /** The root's log-densities for {@code rows} rows of double features, row-major; rejects non-finite inputs. */
    public double[] forward(double[] x, int rows) {
        Objects.requireNonNull(x, "x");
        if (rows < 0 || (long) rows * inputs != x.length) {
            throw new IllegalArgumentException("expected " + rows + " rows x " + inputs + " features = "
                    + (long) rows * inputs + " values, found " + x.length);
        }
        for (int e = 0; e < x.length; e++) {
            if (!Double.isFinite(x[e])) {
                throw new IllegalArgumentException("input row " + e / inputs + ", column " + e % inputs + " is "
                        + x[e] + "; inputs must be finite");
            }
        }
        double[] current = x;
        for (Layer layer : layers) {
            current = forward(layer, current, rows);
        }
        return current;
    }

    private static double[] forward(Layer layer, double[] x, int rows) {
        int n = layer.inputs();
        int m = layer.nodes();
        double[] out = new double[rows * m];
        double[] terms = new double[n];
        for (int b = 0; b < rows; b++) {
            for (int j = 0; j < m; j++) {
                for (int i = 0; i < n; i++) {
                    int e = j * n + i;
                    double z = (x[b * n + i] - layer.mean()[e]) * layer.inverseSigma()[e];
                    terms[i] = layer.bias()[e] - 0.5 * z * z;
                }
                out[b * m + j] = LogSpace.logSumExp(terms, 0, n);
            }
        }
        return out;
    }
}
