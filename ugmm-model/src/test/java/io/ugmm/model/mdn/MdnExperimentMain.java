package io.ugmm.model.mdn;

import java.util.SplittableRandom;

/** Scratch: trains on bishop-inverse-like data and prints NLL and time. */
public final class MdnExperimentMain {
    public static void main(String[] args) {
        int epochs = Integer.parseInt(args[0]);
        double lr = Double.parseDouble(args[1]);
        int threads = Integer.parseInt(args[2]);
        MdnData train = bishop(2000, 1);
        MdnData test = bishop(2000, 2);
        MdnConfig config = MdnConfig.defaults().withEpochs(epochs).withLearningRate(lr).withThreads(threads);
        long start = System.nanoTime();
        MixtureDensityNetwork net = new MdnTrainer(config).train(train, (e, n, nll, s) -> {
            if (e % Math.max(1, n / 10) == 0) {
                System.out.printf("epoch %d nll %.4f%n", e, nll);
            }
            return true;
        });
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf("test nll %.4f, %.2f s, %.0f samples/s%n",
                net.meanNegativeLogLikelihood(test.x(), test.y(), test.rows()), seconds, epochs * 2000 / seconds);
    }

    static MdnData bishop(int rows, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] t = new float[rows];
        float[] x = new float[rows];
        for (int r = 0; r < rows; r++) {
            double xr = random.nextDouble();
            x[r] = (float) xr;
            t[r] = (float) (xr + 0.3 * Math.sin(2 * Math.PI * xr) + random.nextDouble() * 0.2 - 0.1);
        }
        return new MdnData(t, x, 1, 1);
    }
}
