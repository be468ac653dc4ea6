package io.ugmm.model.internal;

/** Text that {@link Json} refuses: the message says what was wrong and at which character (0-based). */
public final class JsonException extends Exception {
    private final int position;

    JsonException(String message, int position) {
        super(message + " at character " + position);
        this.position = position;
    }

    /** 0-based index of the character where the problem was found. */
    public int position() {
        return position;
    }
}
