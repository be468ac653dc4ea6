package io.ugmm.datasets;

import java.util.Optional;

/**
 * A dataset as it was found: its training part and, when the data ships one (Fashion-MNIST does,
 * Iris does not), its own test part, plus where it came from.
 */
public final class LoadedDataset {
    private final String name;
    private final Dataset train;
    private final Dataset test;
    private final Split shipped;
    private final String source;

    /**
     * @param test   the test part as shipped, or null when the data comes in one piece
     * @param source where the data was read from, for messages and listings
     */
    public LoadedDataset(String name, Dataset train, Dataset test, String source) {
        this.shipped = test == null ? null : new Split(train, test); // checks the parts agree
        this.name = name;
        this.train = train;
        this.test = test;
        this.source = source;
    }

    public String name() {
        return name;
    }

    /** The training part; all of the data when nothing ships as a test part. */
    public Dataset train() {
        return train;
    }

    /** The test part as shipped, if any. */
    public Optional<Dataset> test() {
        return Optional.ofNullable(test);
    }

    public boolean hasTest() {
        return test != null;
    }

    /** Where it was read from: a directory, a file, or "built in". */
    public String source() {
        return source;
    }

    /** Rows in both parts together. */
    public int rows() {
        return train.rows() + (test == null ? 0 : test.rows());
    }

    /**
     * Train and test parts: the shipped ones when there is a shipped test part (so results compare with
     * published ones), otherwise a stratified {@link Dataset#split} of the data by {@code seed}.
     */
    public Split trainTest(double testFractionIfUnsplit, long seed) {
        return shipped != null ? shipped : train.split(testFractionIfUnsplit, seed);
    }

    @Override
    public String toString() {
        return name + " (" + train.rows() + (test == null ? "" : " train + " + test.rows() + " test") + " rows, "
                + train.features() + " features, " + train.classes() + " classes, from " + source + ")";
    }
}
