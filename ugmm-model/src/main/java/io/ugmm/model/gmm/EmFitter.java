package io.ugmm.model.gmm;

import io.ugmm.simd.DiagonalGaussianKernel;
import io.ugmm.simd.DiagonalGaussianKernels;

import java.util.SplittableRandom;

/**
 * Expectation-Maximisation as scikit-learn's {@code GaussianMixture.fit}: per run, initial
 * responsibilities (or given parameters), then iterations of E-step + M-step until the mean log-likelihood
 * per row changes by less than {@code tol} or {@code maxIter} is reached; the run with the highest lower
 * bound wins. Each iteration is one pass over the data: a chunk's log-densities, responsibilities and
 * sufficient statistics are computed together, so nothing bigger than a chunk's rows x components exists.
 */
final class EmFitter {
    private final float[] x;
    private final int rows;
    private final int dims;
    private final GmmConfig config;
    private final EmListener listener;
    private final int components;
    private final DiagonalGaussianKernel kernel = DiagonalGaussianKernels.preferred();

    EmFitter(float[] x, int rows, int dims, GmmConfig config, EmListener listener) {
        this.x = x;
        this.rows = rows;
        this.dims = dims;
        this.config = config;
        this.listener = listener;
        this.components = config.components();
    }

    GaussianMixture fit() {
        checkInput();
        int runs = config.initialModel().isPresent() ? 1 : config.nInit();
        GaussianMixture best = null;
        for (int run = 0; run < runs; run++) {
            GaussianMixture model = start(run);
            double lowerBound = Double.NEGATIVE_INFINITY;
            boolean converged = false;
            int iteration = 0;
            while (iteration < config.maxIter()) {
                iteration++;
                double previous = lowerBound;
                SufficientStatistics stats = pass(model);
                lowerBound = stats.logLikelihood / rows;
                model = stats.mStep(SufficientStatistics.shiftOf(model), config.regCovar());
                listener.iteration(run, iteration, model, lowerBound);
                if (config.converged(previous, lowerBound)) {
                    converged = true;
                    break;
                }
            }
            if (best == null || lowerBound > best.lowerBound()) {
                best = model.withFitInfo(converged, iteration, lowerBound);
            }
        }
        return best;
    }

    /** The parameters run {@code run} starts from: the config's initial model, or its init method's. */
    GaussianMixture start(int run) {
        if (config.initialModel().isPresent()) {
            return config.initialModel().get();
        }
        // run r draws from the (r+1)-th split of the seed's generator, whichever runs came before
        SplittableRandom root = new SplittableRandom(config.seed());
        SplittableRandom random = root.split();
        for (int r = 0; r < run; r++) {
            random = root.split();
        }
        return initialModel(random);
    }

    /** As {@link #start}, checking the data first. */
    GaussianMixture checkedStart(int run) {
        checkInput();
        return start(run);
    }

    private void checkInput() {
        if (dims < 1) {
            throw new IllegalArgumentException("data needs at least 1 feature, found " + dims);
        }
        if (rows == 0) {
            throw new IllegalArgumentException("cannot fit a mixture to empty data (0 rows)");
        }
        RowChunks.checkData(x, rows, dims);
        if (rows < components) {
            throw new IllegalArgumentException(components + " components need at least " + components
                    + " rows, found " + rows);
        }
        if (config.initialModel().isPresent() && config.initialModel().get().dims() != dims) {
            throw new IllegalArgumentException("the initial model has " + config.initialModel().get().dims()
                    + " features, the data " + dims);
        }
        if (config.regCovar() == 0) {
            for (int d = 0; d < dims; d++) {
                boolean constant = true;
                for (int r = 1; r < rows && constant; r++) {
                    constant = x[r * dims + d] == x[d];
                }
                if (constant && rows > 0) {
                    throw new IllegalArgumentException("column " + d + " is constant (" + x[d] + " in every row), so"
                            + " every variance in it is 0; set regCovar > 0 or drop the column");
                }
            }
        }
    }

    /** One E-step over all rows with the statistics of the following M-step, chunks reduced in order. */
    private SufficientStatistics pass(GaussianMixture model) {
        int chunks = RowChunks.chunkCount(rows);
        SufficientStatistics[] parts = RowChunks.map(rows, chunks, SufficientStatistics[]::new, (from, count) -> {
            SufficientStatistics s = new SufficientStatistics(config.covarianceType(), components, dims);
            s.expectation(model, x, from, count);
            return s;
        });
        return reduce(parts);
    }

    private SufficientStatistics reduce(SufficientStatistics[] parts) {
        SufficientStatistics total = new SufficientStatistics(config.covarianceType(), components, dims);
        for (SufficientStatistics p : parts) {
            total.addAll(p);
        }
        return total;
    }

    /** The M-step applied to the initial responsibilities, as scikit-learn's {@code _initialize}. */
    private GaussianMixture initialModel(SplittableRandom random) {
        int[] assignment = null;
        double[] resp = null;
        switch (config.init()) {
            case RANDOM:
                resp = new double[rows * components];
                for (int r = 0; r < rows; r++) {
                    double s = 0;
                    for (int k = 0; k < components; k++) {
                        resp[r * components + k] = random.nextDouble();
                        s += resp[r * components + k];
                    }
                    for (int k = 0; k < components; k++) {
                        resp[r * components + k] /= s;
                    }
                }
                break;
            case RANDOM_FROM_DATA:
                assignment = nearest(randomRows(random));
                break;
            default:
                assignment = nearest(KMeansPlusPlus.centres(x, rows, dims, components, random, kernel));
        }
        // moments around the data's column means: a shift near every component
        double[] columnMeans = new double[dims];
        for (int r = 0; r < rows; r++) {
            for (int d = 0; d < dims; d++) {
                columnMeans[d] += x[r * dims + d];
            }
        }
        float[] floatShift = new float[components * dims];
        double[] shift = new double[components * dims];
        for (int k = 0; k < components; k++) {
            for (int d = 0; d < dims; d++) {
                floatShift[k * dims + d] = (float) (columnMeans[d] / rows);
                shift[k * dims + d] = floatShift[k * dims + d];
            }
        }
        final double[] soft = resp;
        final int[] hard = assignment;
        int chunks = RowChunks.chunkCount(rows);
        SufficientStatistics[] parts = RowChunks.map(rows, chunks, SufficientStatistics[]::new, (from, count) -> {
            SufficientStatistics s = new SufficientStatistics(config.covarianceType(), components, dims);
            double[] chunk = new double[count * components];
            for (int r = 0; r < count; r++) {
                if (soft != null) {
                    System.arraycopy(soft, (from + r) * components, chunk, r * components, components);
                } else {
                    chunk[r * components + hard[from + r]] = 1;
                }
            }
            s.addRows(x, from, count, chunk, kernel, floatShift, shift);
            return s;
        });
        return reduce(parts).mStep(shift, config.regCovar());
    }

    /** {@code components} distinct rows, uniformly at random, as centres (K x D). */
    private float[] randomRows(SplittableRandom random) {
        int[] index = new int[rows];
        for (int i = 0; i < rows; i++) {
            index[i] = i;
        }
        float[] centres = new float[components * dims];
        for (int k = 0; k < components; k++) {
            int j = k + random.nextInt(rows - k);
            int t = index[k];
            index[k] = index[j];
            index[j] = t;
            System.arraycopy(x, index[k] * dims, centres, k * dims, dims);
        }
        return centres;
    }

    /** Index of each row's nearest centre (squared Euclidean distance; ties to the lower index). */
    private int[] nearest(float[] centres) {
        int[] out = new int[rows];
        RowChunks.forEach(rows, components, (from, count) -> {
            double[] d = KMeansPlusPlus.negHalfSquaredDistances(x, from, count, dims, centres, components, kernel);
            for (int r = 0; r < count; r++) {
                int best = 0;
                for (int k = 1; k < components; k++) {
                    if (d[r * components + k] > d[r * components + best]) {
                        best = k;
                    }
                }
                out[from + r] = best;
            }
        });
        return out;
    }
}
