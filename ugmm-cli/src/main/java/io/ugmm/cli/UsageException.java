package io.ugmm.cli;

/** A mistake in how the command line was used; printed as one line, with no stack trace. */
final class UsageException extends RuntimeException {
    UsageException(String message) {
        super(message);
    }
}
