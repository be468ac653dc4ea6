package io.ugmm.datasets;

/**
 * Any problem with data: a file that is missing, truncated, of the wrong format or with a bad value, or
 * a dataset that is not installed. Messages say where (file, line, column, byte offset), what was
 * expected and what was found, and for a missing dataset where we looked and how to install it.
 */
public class DatasetException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public DatasetException(String message) {
        super(message);
    }

    public DatasetException(String message, Throwable cause) {
        super(message, cause);
    }
}
