package io.ugmm.datasets;

/** A dataset cut in two: the part to fit on and the part to measure on. */
public record Split(Dataset train, Dataset test) {
    public Split {
        if (train.features() != test.features()) {
            throw new IllegalArgumentException("train has " + train.features() + " features but test has "
                    + test.features());
        }
        if (!train.classNames().equals(test.classNames())) {
            throw new IllegalArgumentException("train and test name their classes differently: "
                    + train.classNames() + " vs " + test.classNames());
        }
    }
}
