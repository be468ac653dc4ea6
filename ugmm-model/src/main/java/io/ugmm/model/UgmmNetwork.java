package io.ugmm.model;

import io.ugmm.simd.MixtureKernel;
import io.ugmm.simd.MixtureKernels;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * A uGMM-NN: an input layer that passes its features through, then uGMM layers, the last one the root.
 * Each layer's inputs are the previous layer's log-densities.
 *
 * <p>A network is immutable and safe to use from many threads at once. The allocation-free path is
 * {@link #forward(float[], int, int, float[], int, Workspace)} with one {@link Workspace} per thread (a workspace
 * used by two threads at once is refused with a {@link java.util.ConcurrentModificationException});
 * the other forward methods allocate their result and a workspace on each call.
 *
 * <p>Inputs must be finite: NaN or infinite features are rejected with an {@link IllegalArgumentException}
 * naming the row and column, rather than turned into a silently meaningless log-density.
 * An empty batch (0 rows) is allowed and produces an empty result.
 */
public final class UgmmNetwork {
    private final int inputs;
    private final List<UgmmLayer> layers;
    private final MixtureKernel kernel;

    private UgmmNetwork(int inputs, List<UgmmLayer> layers, MixtureKernel kernel) {
        this.inputs = inputs;
        this.layers = layers;
        this.kernel = kernel;
    }

    /**
     * A network from its uGMM layers, input side first.
     *
     * @throws IllegalArgumentException when there are no layers or a layer's inputs do not match the
     *                                  previous layer's nodes
     */
    public static UgmmNetwork of(List<UgmmLayer> layers) {
        Objects.requireNonNull(layers, "layers");
        if (layers.isEmpty()) {
            throw new IllegalArgumentException("a network needs at least one uGMM layer");
        }
        for (int i = 1; i < layers.size(); i++) {
            int expected = layers.get(i - 1).nodes();
            int found = layers.get(i).inputs();
            if (expected != found) {
                throw new IllegalArgumentException("layer " + i + " has " + found + " inputs but layer " + (i - 1)
                        + " has " + expected + " nodes; they must match");
            }
        }
        return new UgmmNetwork(layers.get(0).inputs(), List.copyOf(layers), MixtureKernels.preferred());
    }

    /** Starts a builder for a network over {@code inputs} features. */
    public static Builder builder(int inputs) {
        return new Builder(inputs);
    }

    /** The same parameters evaluated with another kernel (e.g. the scalar reference, for comparison). */
    public UgmmNetwork withKernel(MixtureKernel kernel) {
        return new UgmmNetwork(inputs, layers, Objects.requireNonNull(kernel, "kernel"));
    }

    public MixtureKernel kernel() {
        return kernel;
    }

    /** Number of input features. */
    public int inputs() {
        return inputs;
    }

    /** Number of root nodes (log-densities per row). */
    public int outputs() {
        return layers.get(layers.size() - 1).nodes();
    }

    /** The uGMM layers, input side first (immutable list). */
    public List<UgmmLayer> layers() {
        return layers;
    }

    /** Total parameters across layers. */
    public long parameterCount() {
        long total = 0;
        for (UgmmLayer layer : layers) {
            total += layer.parameterCount();
        }
        return total;
    }

    /** e.g. {@code 784 -> 128 -> 64 -> 10}. */
    public String architecture() {
        StringBuilder sb = new StringBuilder().append(inputs);
        for (UgmmLayer layer : layers) {
            sb.append(" -> ").append(layer.nodes());
        }
        return sb.toString();
    }

    boolean sameShape(UgmmNetwork other) {
        if (other.inputs != inputs || other.layers.size() != layers.size()) {
            return false;
        }
        for (int i = 0; i < layers.size(); i++) {
            if (layers.get(i).nodes() != other.layers.get(i).nodes()) {
                return false;
            }
        }
        return true;
    }

    /** Scratch for up to {@code maxRows} rows per call; one per thread. */
    public Workspace newWorkspace(int maxRows) {
        return new Workspace(this, maxRows);
    }

    /**
     * A workspace whose forward passes split each large layer's nodes over {@code threads} threads: the
     * caller's and {@code threads - 1} worker threads the workspace owns. For lower latency of small batches
     * on machines with idle cores; results are bit-identical to one thread's. Still one caller at a time;
     * {@link Workspace#close() close} it when done. {@code threads == 1} is {@link #newWorkspace(int)}.
     */
    public Workspace newWorkspace(int maxRows, int threads) {
        return new Workspace(this, maxRows, threads);
    }

    /** The root's log-densities for one row of {@link #inputs()} features. */
    public float[] forward(float[] row) {
        Objects.requireNonNull(row, "row");
        if (row.length != inputs) {
            throw new IllegalArgumentException("expected a row of " + inputs + " features, found " + row.length);
        }
        float[] out = new float[outputs()];
        forward(row, 0, 1, out, 0, newWorkspace(1));
        return out;
    }

    /**
     * The root's log-densities for {@code rows} rows stored row-major in {@code x}
     * ({@code x.length == rows * inputs()}); returns {@code rows * outputs()} values, row-major.
     */
    public float[] forwardBatch(float[] x, int rows) {
        Objects.requireNonNull(x, "x");
        if (rows < 0) {
            throw new IllegalArgumentException("rows must be >= 0, found " + rows);
        }
        if ((long) rows * inputs != x.length) {
            throw new IllegalArgumentException("expected " + rows + " rows x " + inputs + " features = "
                    + (long) rows * inputs + " values, found " + x.length);
        }
        float[] out = new float[rows * outputs()];
        if (rows > 0) {
            forward(x, 0, rows, out, 0, newWorkspace(Math.min(rows, 256)));
        }
        return out;
    }

    /**
     * The allocation-free forward pass: reads {@code rows} rows at {@code x[xOff..]}, writes
     * {@code rows * outputs()} log-densities at {@code out[outOff..]}. Batches larger than the
     * workspace are processed in workspace-sized chunks.
     */
    public void forward(float[] x, int xOff, int rows, float[] out, int outOff, Workspace ws) {
        Objects.requireNonNull(ws, "workspace");
        if (!ws.fits(this)) {
            throw new IllegalArgumentException("this workspace was made for a network of another shape");
        }
        checkRange("x", x, xOff, rows, inputs);
        checkRange("out", out, outOff, rows, outputs());
        checkFinite(x, xOff, rows);
        ws.enter();
        try {
            for (int done = 0; done < rows; done += ws.maxRows) {
                int chunk = Math.min(ws.maxRows, rows - done);
                forwardChunk(x, xOff + done * inputs, chunk, out, outOff + done * outputs(), ws);
            }
        } finally {
            ws.exit();
        }
    }

    private void forwardChunk(float[] x, int xOff, int rows, float[] out, int outOff, Workspace ws) {
        float[] src = x;
        int srcOff = xOff;
        int last = layers.size() - 1;
        for (int l = 0; l <= last; l++) {
            float[] dst = l == last ? out : (l % 2 == 0 ? ws.ping : ws.pong);
            int dstOff = l == last ? outOff : 0;
            ws.forwardLayer(kernel, src, srcOff, rows, layers.get(l).bank(), dst, dstOff);
            src = dst;
            srcOff = dstOff;
        }
    }

    /** Index of the largest root log-density for one row (the predicted class of a classifier). */
    public int classify(float[] row) {
        return argmax(forward(row), 0, outputs());
    }

    /** Index of the largest of {@code len} values at {@code v[off..]}; the first on ties. */
    public static int argmax(float[] v, int off, int len) {
        int best = 0;
        for (int i = 1; i < len; i++) {
            if (v[off + i] > v[off + best]) {
                best = i;
            }
        }
        return best;
    }

    private static void checkRange(String name, float[] a, int off, int rows, int width) {
        Objects.requireNonNull(a, name);
        if (rows < 0) {
            throw new IllegalArgumentException("rows must be >= 0, found " + rows);
        }
        long need = (long) rows * width;
        if (off < 0 || off + need > a.length) {
            throw new IllegalArgumentException(name + " needs " + need + " values (" + rows + " rows x " + width
                    + ") from offset " + off + " but has length " + a.length);
        }
    }

    private void checkFinite(float[] x, int xOff, int rows) {
        int n = rows * inputs;
        for (int e = 0; e < n; e++) {
            float v = x[xOff + e];
            // v - v is 0 for finite v and NaN for NaN or +-inf: one test for both cases
            if (v - v != 0f) {
                throw new IllegalArgumentException("input row " + e / inputs + ", column " + e % inputs + " is " + v
                        + "; inputs must be finite");
            }
        }
    }

    /**
     * Builds a network with the PyTorch reference's initialisation: {@code mu ~ N(0, 1)},
     * {@code std = log U(0, 1)}, {@code k ~ U(0, 1)}, from a seed.
     */
    public static final class Builder {
        private final int inputs;
        private final List<Integer> widths = new ArrayList<>();
        private long seed = 42;

        private Builder(int inputs) {
            if (inputs < 1) {
                throw new IllegalArgumentException("a network needs at least 1 input, got " + inputs);
            }
            this.inputs = inputs;
        }

        /** Adds a uGMM layer of {@code nodes} nodes; the last one added is the root. */
        public Builder layer(int nodes) {
            if (nodes < 1) {
                throw new IllegalArgumentException("a layer needs at least 1 node, got " + nodes);
            }
            widths.add(nodes);
            return this;
        }

        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        public UgmmNetwork build() {
            if (widths.isEmpty()) {
                throw new IllegalArgumentException("add at least one layer with layer(nodes)");
            }
            SplittableRandom random = new SplittableRandom(seed);
            List<UgmmLayer> layers = new ArrayList<>();
            int in = inputs;
            for (int nodes : widths) {
                layers.add(initialLayer(in, nodes, random));
                in = nodes;
            }
            return of(layers);
        }

        static UgmmLayer initialLayer(int inputs, int nodes, SplittableRandom random) {
            int size = Math.multiplyExact(inputs, nodes);
            float[] mu = new float[size];
            float[] logStd = new float[size];
            float[] logits = new float[size];
            for (int e = 0; e < size; e++) {
                mu[e] = (float) gaussian(random);
                // 1 - U[0,1) lies in (0, 1], so the log is finite
                logStd[e] = (float) Math.log(1.0 - random.nextDouble());
                logits[e] = (float) random.nextDouble();
            }
            return UgmmLayer.of(inputs, nodes, mu, logStd, logits);
        }

        private static double gaussian(SplittableRandom random) {
            // Box-Muller; SplittableRandom has no nextGaussian on JDK 17
            double u = 1.0 - random.nextDouble();
            double v = random.nextDouble();
            return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
        }
    }
}
