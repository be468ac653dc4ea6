package io.ugmm.cli;

import io.ugmm.model.train.EpochSummary;
import io.ugmm.model.train.Trainer;
import io.ugmm.model.train.TrainingListener;

import java.io.PrintStream;
import java.util.Locale;
import java.util.function.Function;

/**
 * Prints a line per epoch (every {@code logEvery} epochs and the last): loss, train and test accuracy,
 * samples/s, elapsed, ETA; and, when a terminal is attached, a live bar on stderr within each epoch.
 */
final class ProgressPrinter implements TrainingListener {
    private static final long BAR_INTERVAL_NANOS = 200_000_000L;
    private final PrintStream out;
    private final PrintStream bar;
    private final int logEvery;
    private final int batchSize;
    private final Function<Trainer, EpochFigures> evaluate;
    private final long start = System.nanoTime();
    private long lastBar;
    private double trainSeconds;
    private long rowsTrained;
    int epochsDone;
    EpochFigures last;

    /** Train and test figures computed after an epoch (test NaN when there is no test part). */
    record EpochFigures(double trainAccuracy, double testAccuracy, double testNll) {
    }

    /** @param bar where the live bar goes, or null for none */
    ProgressPrinter(PrintStream out, PrintStream bar, int logEvery, int batchSize,
                    Function<Trainer, EpochFigures> evaluate) {
        this.out = out;
        this.batchSize = batchSize;
        this.bar = bar;
        this.logEvery = logEvery;
        this.evaluate = evaluate;
    }

    /** Seconds spent in training steps (evaluation excluded). */
    double trainSeconds() {
        return trainSeconds;
    }

    long rowsTrained() {
        return rowsTrained;
    }

    @Override
    public void batchDone(int epoch, int batch, int batches, long elapsedNanos) {
        if (bar == null) {
            return;
        }
        long now = System.nanoTime();
        if (now - lastBar < BAR_INTERVAL_NANOS && batch < batches) {
            return;
        }
        lastBar = now;
        int width = 30;
        int filled = (int) ((long) width * batch / batches);
        double seconds = elapsedNanos / 1e9;
        bar.print("\r  epoch " + epoch + " [" + "#".repeat(filled) + ".".repeat(width - filled) + "] " + batch + "/"
                + batches + String.format(Locale.ROOT, "  %,.0f samples/s  %s left in this epoch ",
                (double) batch * batchSize / seconds, duration(seconds * (batches - batch) / batch)));
        bar.flush();
    }

    @Override
    public boolean epochDone(EpochSummary s, Trainer trainer) {
        trainSeconds += s.seconds();
        rowsTrained += s.rows();
        epochsDone = s.epoch();
        if (bar != null) {
            bar.print("\r" + " ".repeat(100) + "\r");
            bar.flush();
        }
        boolean print = s.epoch() % logEvery == 0 || s.epoch() == s.epochs() || s.epoch() == 1;
        if (!print) {
            return true;
        }
        last = evaluate.apply(trainer);
        double elapsed = (System.nanoTime() - start) / 1e9;
        double eta = elapsed / s.epoch() * (s.epochs() - s.epoch());
        double trainAcc = Double.isNaN(s.trainAccuracy()) ? last.trainAccuracy() : s.trainAccuracy();
        out.printf(Locale.ROOT, "epoch %" + digits(s.epochs()) + "d/%d  loss %.4f  train %s  test %s  %,.0f samples/s"
                        + "  lr %.0e  elapsed %s  ETA %s%n",
                s.epoch(), s.epochs(), s.loss(), percent(trainAcc), percent(last.testAccuracy()),
                s.samplesPerSecond(), s.learningRate(), duration(elapsed), duration(eta));
        out.flush();
        return true;
    }

    private static int digits(int n) {
        return Integer.toString(n).length();
    }

    /** {@code 1 epoch}, {@code 2 epochs}: the count with the noun's singular or plural. */
    static String count(long n, String singular, String plural) {
        return n + " " + (n == 1 ? singular : plural);
    }

    static String percent(double fraction) {
        return Double.isNaN(fraction) ? "  -   " : String.format(Locale.ROOT, "%6.2f%%", 100 * fraction);
    }

    static String duration(double seconds) {
        long s = Math.round(seconds);
        if (s < 60) {
            return String.format(Locale.ROOT, "%.1fs", seconds);
        }
        return s < 3600 ? String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60)
                : String.format(Locale.ROOT, "%dh%02dm", s / 3600, s % 3600 / 60);
    }
}
