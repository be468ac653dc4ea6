package io.ugmm.model.io;

import io.ugmm.model.internal.MessageText;

import java.io.IOException;
import java.util.Optional;

/**
 * The one exception for a safetensors or model file that cannot be read or is not acceptable: truncated,
 * malformed, hostile, or well-formed but not a uGMM network. Every rejection by {@link SafetensorsReader}
 * and {@link ModelFiles} is one of these, and nothing else escapes them for any input bytes.
 *
 * <p>It is an {@link IOException}, so code that already handles I/O failures handles it too. The message
 * is one line: {@code <file>: tensor '<name>': <what is wrong>} (or without the tensor part), e.g.
 * {@code model.safetensors: tensor 'layers.0.mu': data_offsets [0, 400] span 400 bytes but shape [10, 11]
 * of F32 needs 440}. Text taken from the file is escaped and shortened in messages.
 */
public final class ModelFileException extends IOException {
    private final String source;
    private final String tensor;
    private final String detail;

    /** A rejection of {@code source}, about {@code tensor} (null when it is about no one tensor). */
    public ModelFileException(String source, String tensor, String detail) {
        this(source, tensor, detail, null);
    }

    ModelFileException(String source, String tensor, String detail, Throwable cause) {
        super(source + ": " + (tensor == null ? "" : "tensor " + MessageText.quote(tensor) + ": ") + detail, cause);
        this.source = source;
        this.tensor = tensor;
        this.detail = detail;
    }

    /** The file (as the caller named it) or other source that was being read. */
    public String source() {
        return source;
    }

    /** The tensor the problem is about, if it is about one. */
    public Optional<String> tensor() {
        return Optional.ofNullable(tensor);
    }

    /** What is wrong, without the file and tensor prefix. */
    public String detail() {
        return detail;
    }
}
