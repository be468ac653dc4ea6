package io.ugmm.datasets;

import java.util.List;
import java.util.SplittableRandom;

/**
 * Bishop's inverse problem (Bishop 1994, "Mixture density networks"; PRML section 5.6), generated from a seed:
 * {@code x ~ U(0, 1)}, {@code t = x + 0.3 sin(2 pi x) + U(-0.1, 0.1)}; the task predicts x from t. For t
 * between about 0.35 and 0.65 there are three valid answers, so the conditional density is multimodal and an
 * ordinary regression predicts their useless average.
 *
 * <p>{@code bishop-inverse}: 2000 training and 2000 test rows, seeds 1 and 2; the input column is {@code t},
 * the target column {@code x}.
 */
public final class BishopInverse {
    public static final String NAME = "bishop-inverse";
    public static final int ROWS = 2000;
    static final long TRAIN_SEED = 1;
    static final long TEST_SEED = 2;

    private BishopInverse() {
    }

    /** {@code rows} rows drawn with {@code seed}: input t, target x. */
    public static RegressionData generate(int rows, long seed) {
        if (rows < 1) {
            throw new DatasetException(NAME + ": rows must be at least 1, found " + rows);
        }
        SplittableRandom random = new SplittableRandom(seed);
        float[] t = new float[rows];
        float[] x = new float[rows];
        for (int r = 0; r < rows; r++) {
            double xr = random.nextDouble();
            double noise = random.nextDouble() * 0.2 - 0.1;
            x[r] = (float) xr;
            t[r] = (float) (xr + 0.3 * Math.sin(2 * Math.PI * xr) + noise);
        }
        return new RegressionData(NAME + "/seed-" + seed, t, x, List.of("t"), List.of("x"));
    }

    /**
     * Writes the standard parts as {@code DIR/train.csv} and {@code DIR/test.csv} (header {@code t,x}), e.g. to
     * train another library on exactly the same rows: {@code java -cp ... io.ugmm.datasets.BishopInverse DIR}.
     */
    public static void main(String[] args) throws java.io.IOException {
        if (args.length != 1) {
            System.err.println("usage: BishopInverse DIR");
            System.exit(2);
        }
        RegressionData[] parts = trainAndTest();
        String[] names = {"train.csv", "test.csv"};
        for (int p = 0; p < 2; p++) {
            StringBuilder sb = new StringBuilder("t,x\n");
            for (int r = 0; r < parts[p].rows(); r++) {
                sb.append(parts[p].x()[r]).append(',').append(parts[p].y()[r]).append('\n');
            }
            java.nio.file.Files.writeString(java.nio.file.Path.of(args[0], names[p]), sb);
        }
    }

    /** The standard train and test parts. */
    public static RegressionData[] trainAndTest() {
        return new RegressionData[]{generate(ROWS, TRAIN_SEED), generate(ROWS, TEST_SEED)};
    }
}
