package io.ugmm.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/** Runs command lines through {@link Main#run} and keeps what the last one printed. */
abstract class CliHarness {
    protected final ByteArrayOutputStream out = new ByteArrayOutputStream();
    protected final ByteArrayOutputStream err = new ByteArrayOutputStream();

    /** Runs one command line with fresh stdout and stderr; returns its exit code. */
    protected int run(String... argv) {
        out.reset();
        err.reset();
        return Main.run(argv, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    /** The 150 Iris rows as a CSV file of features only (cm, a header, no label). */
    static String irisFeaturesCsv() {
        io.ugmm.datasets.Dataset iris = io.ugmm.datasets.Iris.load();
        StringBuilder csv = new StringBuilder("sepal_length,sepal_width,petal_length,petal_width\n");
        for (int r = 0; r < iris.rows(); r++) {
            for (int f = 0; f < iris.features(); f++) {
                csv.append(f == 0 ? "" : ",").append(iris.feature(r, f));
            }
            csv.append('\n');
        }
        return csv.toString();
    }

    /** What the last command wrote to stdout. */
    protected String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    /** What the last command wrote to stderr. */
    protected String err() {
        return err.toString(StandardCharsets.UTF_8);
    }
}
