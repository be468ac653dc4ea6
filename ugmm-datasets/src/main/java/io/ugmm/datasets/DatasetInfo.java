package io.ugmm.datasets;

/**
 * What {@link Datasets#available()} knows of one named dataset on this machine.
 *
 * @param name        the name to pass to {@link Datasets#load}, e.g. {@code "fashion-mnist"}
 * @param description one line on what the data is
 * @param status      whether it can be loaded
 * @param rows        row counts when ready, e.g. {@code "60000 train + 10000 test"}; empty otherwise
 * @param where       where it was found when ready or broken, where we looked when missing
 * @param howToGet    the one command (or step) that installs it
 * @param problem     why it cannot be read when broken; null otherwise
 */
public record DatasetInfo(String name, String description, Status status, String rows, String where,
                          String howToGet, String problem) {
    public enum Status {
        /** Found and readable. */
        READY,
        /** Not installed or fetched on this machine. */
        MISSING,
        /** Found, but reading it failed. */
        BROKEN
    }
}
