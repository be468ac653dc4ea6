package io.ugmm.spark;

import io.ugmm.model.UgmmLayer;
import io.ugmm.model.UgmmNetwork;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/**
 * A network's parameters (per layer: means, log standard deviations, mixture logits) as plain arrays, to
 * ship to the executors and to average there: the sum of each partition's network times its share of the
 * rows is their row-weighted mean.
 */
final class NetworkParameters implements Serializable {
    private static final long serialVersionUID = 1L;

    private final int[] widths;
    private final float[][] mu;
    private final float[][] logStd;
    private final float[][] logits;
    /** The total weight summed into these parameters, 1 for a plain network or a complete mean. */
    final double weight;

    private NetworkParameters(int[] widths, float[][] mu, float[][] logStd, float[][] logits, double weight) {
        this.widths = widths;
        this.mu = mu;
        this.logStd = logStd;
        this.logits = logits;
        this.weight = weight;
    }

    static NetworkParameters of(UgmmNetwork network) {
        return weighted(network, 1);
    }

    /** The network's parameters times {@code weight} (a share of the rows), to be summed with {@link #plus}. */
    static NetworkParameters weighted(UgmmNetwork network, double weight) {
        List<UgmmLayer> layers = network.layers();
        int[] widths = new int[layers.size() + 1];
        float[][] mu = new float[layers.size()][];
        float[][] logStd = new float[layers.size()][];
        float[][] logits = new float[layers.size()][];
        widths[0] = network.inputs();
        for (int l = 0; l < layers.size(); l++) {
            UgmmLayer layer = layers.get(l);
            widths[l + 1] = layer.nodes();
            mu[l] = scaled(layer.mu(), weight);
            logStd[l] = scaled(layer.logStd(), weight);
            logits[l] = scaled(layer.logits(), weight);
        }
        return new NetworkParameters(widths, mu, logStd, logits, weight);
    }

    private static float[] scaled(float[] v, double weight) {
        float[] s = v.clone();
        for (int i = 0; i < s.length; i++) {
            s[i] = (float) (s[i] * weight);
        }
        return s;
    }

    NetworkParameters plus(NetworkParameters o) {
        float[][] m = new float[mu.length][];
        float[][] s = new float[mu.length][];
        float[][] w = new float[mu.length][];
        for (int l = 0; l < mu.length; l++) {
            m[l] = sum(mu[l], o.mu[l]);
            s[l] = sum(logStd[l], o.logStd[l]);
            w[l] = sum(logits[l], o.logits[l]);
        }
        return new NetworkParameters(widths, m, s, w, weight + o.weight);
    }

    private static float[] sum(float[] a, float[] b) {
        float[] c = new float[a.length];
        for (int i = 0; i < c.length; i++) {
            c[i] = a[i] + b[i];
        }
        return c;
    }

    UgmmNetwork network() {
        List<UgmmLayer> layers = new ArrayList<>(mu.length);
        for (int l = 0; l < mu.length; l++) {
            layers.add(UgmmLayer.of(widths[l], widths[l + 1], mu[l], logStd[l], logits[l]));
        }
        return UgmmNetwork.of(layers);
    }
}
