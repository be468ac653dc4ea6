import io.ugmm.datasets.Dataset;
import io.ugmm.datasets.Datasets;
import io.ugmm.datasets.Split;
import io.ugmm.model.Imputer;
import io.ugmm.model.MissingPolicy;
import io.ugmm.model.Prediction;
import io.ugmm.model.Predictor;
import io.ugmm.model.UgmmModel;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Prints the missing-input tables of the README (run by scripts/missing-inputs.sh):
 * java MissingInputsReport IRIS_MODEL IRIS_SPLIT_SEED [FASHION_MODEL]
 */
public class MissingInputsReport {
    static final List<MissingPolicy> POLICIES = List.of(MissingPolicy.MARGINALIZE, MissingPolicy.MEAN_FILL,
            MissingPolicy.MASK_UNNORMALIZED, MissingPolicy.UNIT_DENSITY);

    public static void main(String[] args) throws Exception {
        UgmmModel iris = UgmmModel.load(Path.of(args[0]));
        Split split = Datasets.load("iris").trainTest(0.2, Long.parseLong(args[1]));
        iris(iris, split.train(), split.test());
        if (args.length > 2) {
            UgmmModel fashion = UgmmModel.load(Path.of(args[2]));
            Dataset test = Datasets.load("fashion-mnist").test().orElseThrow();
            fashion(fashion, test.subset(0, Math.min(test.rows(), 5000)));
            speed(fashion, test.subset(0, Math.min(test.rows(), 5000)), iris, split.test());
        }
    }

    static void iris(UgmmModel model, Dataset train, Dataset test) {
        int n = test.features();
        System.out.printf(Locale.ROOT, "Iris, %d test rows, one feature missing (JDK %s)%n", test.rows(),
                Runtime.version());
        System.out.printf(Locale.ROOT, "model: %s, objective %s%n", model.network().architecture(),
                model.generativeObjective().map(o -> o.shortName()).orElse("-"));
        calibration(model, test);
        System.out.printf(Locale.ROOT, "%-14s %8s %8s %8s %8s | %9s %9s %9s %9s%n", "missing", "marginal", "mean",
                "mask", "unit", "rmse ugmm", "rmse mean", "rmse kNN5", "rmse lin");
        System.out.printf(Locale.ROOT, "%-14s %8.3f %8s %8s %8s |%n", "(none)", accuracy(model, test, -1,
                MissingPolicy.REJECT), "", "", "");
        Imputer imputer = new Imputer(model, 4);
        double[] mean = model.standardization().orElseThrow().means();
        double[] std = model.standardization().orElseThrow().standardDeviations();
        for (int f = 0; f < n; f++) {
            StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%-14s", test.featureNames().get(f)));
            for (MissingPolicy p : POLICIES) {
                line.append(String.format(Locale.ROOT, " %8.3f", accuracy(model, test, f, p)));
            }
            double se = 0, seMean = 0, seKnn = 0, seLinear = 0;
            double[] w = linearFit(train, f);
            for (int r = 0; r < test.rows(); r++) {
                float[] row = test.row(r);
                float truth = row[f];
                row[f] = Float.NaN;
                se += sq(imputer.impute(row).feature(f) - truth);
                seMean += sq(mean[f] - truth);
                seKnn += sq(knn(train, row, f, std, 5) - truth);
                seLinear += sq(linear(w, row, f, test.label(r)) - truth);
            }
            int m = test.rows();
            line.append(String.format(Locale.ROOT, " | %9.3f %9.3f %9.3f %9.3f", Math.sqrt(se / m),
                    Math.sqrt(seMean / m), Math.sqrt(seKnn / m), Math.sqrt(seLinear / m)));
            System.out.println(line);
        }
    }

    /** Mean probability of the predicted class, on the rows it gets right and on those it gets wrong. */
    static void calibration(UgmmModel model, Dataset test) {
        double right = 0, wrong = 0;
        int nRight = 0, nWrong = 0;
        for (int r = 0; r < test.rows(); r++) {
            Prediction p = model.predict(test.row(r));
            if (p.classIndex() == test.label(r)) {
                right += p.probability(p.classIndex());
                nRight++;
            } else {
                wrong += p.probability(p.classIndex());
                nWrong++;
            }
        }
        System.out.printf(Locale.ROOT, "p(y|x) of the predicted class: mean %.3f on %d correct rows, %.3f on %d wrong%n",
                right / Math.max(1, nRight), nRight, wrong / Math.max(1, nWrong), nWrong);
    }

    /** The regressors of feature f: 1, the other features, one-hots of classes 1.. (the true class, a strong baseline). */
    static double[] regressors(float[] row, int f, int label, int classes) {
        double[] x = new double[row.length + classes - 1];
        x[0] = 1;
        for (int g = 0, k = 1; g < row.length; g++) {
            if (g != f) {
                x[k++] = row[g];
            }
        }
        if (label > 0) {
            x[row.length - 1 + label] = 1;
        }
        return x;
    }

    /** Least squares of feature f on {@link #regressors} over the training rows (normal equations, Gauss-Jordan). */
    static double[] linearFit(Dataset train, int f) {
        int p = train.features() + train.classes() - 1;
        double[][] a = new double[p][p + 1];
        for (int r = 0; r < train.rows(); r++) {
            double[] x = regressors(train.row(r), f, train.label(r), train.classes());
            for (int i = 0; i < p; i++) {
                for (int j = 0; j < p; j++) {
                    a[i][j] += x[i] * x[j];
                }
                a[i][p] += x[i] * train.feature(r, f);
            }
        }
        for (int i = 0; i < p; i++) {
            int pivot = i;
            for (int k = i + 1; k < p; k++) {
                pivot = Math.abs(a[k][i]) > Math.abs(a[pivot][i]) ? k : pivot;
            }
            double[] t = a[i];
            a[i] = a[pivot];
            a[pivot] = t;
            for (int k = 0; k < p; k++) {
                if (k != i) {
                    double c = a[k][i] / a[i][i];
                    for (int j = i; j <= p; j++) {
                        a[k][j] -= c * a[i][j];
                    }
                }
            }
        }
        double[] w = new double[p];
        for (int i = 0; i < p; i++) {
            w[i] = a[i][p] / a[i][i];
        }
        return w;
    }

    static double linear(double[] w, float[] row, int f, int label) {
        double[] x = regressors(row, f, label, w.length - row.length + 1);
        double s = 0;
        for (int i = 0; i < w.length; i++) {
            s += w[i] * x[i];
        }
        return s;
    }

    static double accuracy(UgmmModel model, Dataset test, int missing, MissingPolicy policy) {
        int correct = 0;
        for (int r = 0; r < test.rows(); r++) {
            float[] row = test.row(r);
            if (missing >= 0) {
                row[missing] = Float.NaN;
            }
            correct += model.predict(row, policy).classIndex() == test.label(r) ? 1 : 0;
        }
        return correct / (double) test.rows();
    }

    /** Mean of feature f over the k training rows nearest on the other features (standardised distance). */
    static double knn(Dataset train, float[] row, int f, double[] std, int k) {
        double[] d = new double[train.rows()];
        Integer[] order = new Integer[train.rows()];
        for (int t = 0; t < train.rows(); t++) {
            order[t] = t;
            for (int g = 0; g < row.length; g++) {
                if (g != f && row[g] == row[g]) {
                    d[t] += sq((train.feature(t, g) - row[g]) / std[g]);
                }
            }
        }
        Arrays.sort(order, (a, b) -> Double.compare(d[a], d[b]));
        double sum = 0;
        for (int i = 0; i < k; i++) {
            sum += train.feature(order[i], f);
        }
        return sum / k;
    }

    static void fashion(UgmmModel model, Dataset test) {
        System.out.printf(Locale.ROOT, "%nFashion-MNIST classifier, first %d test images%n", test.rows());
        System.out.printf(Locale.ROOT, "%-22s %8s %8s %8s %8s%n", "pixels missing", "marginal", "mean", "mask",
                "unit");
        for (String pattern : List.of("none", "25% at random", "50% at random", "bottom half")) {
            float[] x = masked(test, pattern);
            StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%-22s", pattern));
            for (MissingPolicy p : POLICIES) {
                line.append(String.format(Locale.ROOT, " %8.3f", batchAccuracy(model, x, test, p)));
            }
            System.out.println(line);
        }
    }

    static float[] masked(Dataset test, String pattern) {
        float[] x = test.features.clone();
        int n = test.features();
        SplittableRandom random = new SplittableRandom(7);
        for (int r = 0; r < test.rows(); r++) {
            for (int i = 0; i < n; i++) {
                boolean gone = switch (pattern) {
                    case "25% at random" -> random.nextDouble() < 0.25;
                    case "50% at random" -> random.nextDouble() < 0.5;
                    case "bottom half" -> i >= n / 2;
                    default -> false;
                };
                if (gone) {
                    x[r * n + i] = Float.NaN;
                }
            }
        }
        return x;
    }

    static double batchAccuracy(UgmmModel model, float[] x, Dataset test, MissingPolicy policy) {
        int batch = 256;
        Predictor p = model.newPredictor(batch, policy);
        int[] best = new int[batch];
        int correct = 0;
        for (int r = 0; r < test.rows(); r += batch) {
            int rows = Math.min(batch, test.rows() - r);
            p.predict(x, r * test.features(), rows, null, best);
            for (int i = 0; i < rows; i++) {
                correct += best[i] == test.label(r + i) ? 1 : 0;
            }
        }
        return correct / (double) test.rows();
    }

    static void speed(UgmmModel fashion, Dataset test, UgmmModel iris, Dataset irisTest) {
        float[] plain = test.features.clone();
        float[] half = masked(test, "50% at random");
        float[] quarter = masked(test, "25% at random");
        System.out.printf(Locale.ROOT, "%nSpeed, Fashion-MNIST batches of 256, one thread (rows/s; best of 5 rounds)%n");
        double base = 0;
        for (int round = 0; round < 5; round++) {
            base = Math.max(base, rate(fashion, plain, test, MissingPolicy.REJECT));
        }
        double none = 0, q = 0, h = 0;
        for (int round = 0; round < 5; round++) {
            none = Math.max(none, rate(fashion, plain, test, MissingPolicy.MARGINALIZE));
            q = Math.max(q, rate(fashion, quarter, test, MissingPolicy.MARGINALIZE));
            h = Math.max(h, rate(fashion, half, test, MissingPolicy.MARGINALIZE));
        }
        System.out.printf(Locale.ROOT, "plain predict %.0f; marginalize: nothing missing %.0f (%.2fx), 25%% missing %.0f"
                + " (%.2fx), 50%% missing %.0f (%.2fx)%n", base, none, base / none, q, base / q, h, base / h);
        Imputer imputer = new Imputer(iris, 4);
        long t0 = System.nanoTime();
        int done = 0;
        for (int rep = 0; rep < 5; rep++) {
            for (int r = 0; r < irisTest.rows(); r++) {
                float[] row = irisTest.row(r);
                row[r % row.length] = Float.NaN;
                imputer.impute(row);
                done++;
            }
        }
        System.out.printf(Locale.ROOT, "impute (Iris, one feature missing, 4 restarts): %.0f rows/s%n",
                done / ((System.nanoTime() - t0) / 1e9));
    }

    static double rate(UgmmModel model, float[] x, Dataset test, MissingPolicy policy) {
        long t0 = System.nanoTime();
        batchAccuracy(model, x, test, policy);
        return test.rows() / ((System.nanoTime() - t0) / 1e9);
    }

    static double sq(double v) {
        return v * v;
    }
}
