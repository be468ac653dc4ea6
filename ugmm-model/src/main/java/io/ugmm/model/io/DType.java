package io.ugmm.model.io;

import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The safetensors element types this reader knows, by their names in the header. All are accepted by
 * {@link SafetensorsReader}; only {@link #F32}, {@link #F16}, {@link #BF16} and {@link #F64} convert to
 * {@code float} (see {@link Tensor#toFloats()}). Sub-byte types (F4, F6_*) are not supported and are
 * rejected as unknown.
 */
public enum DType {
    BOOL(1, false),
    U8(1, false),
    I8(1, false),
    F8_E5M2(1, false),
    F8_E4M3(1, false),
    I16(2, false),
    U16(2, false),
    F16(2, true),
    BF16(2, true),
    I32(4, false),
    U32(4, false),
    F32(4, true),
    I64(8, false),
    U64(8, false),
    F64(8, true);

    private final int byteSize;
    private final boolean convertsToFloat;

    DType(int byteSize, boolean convertsToFloat) {
        this.byteSize = byteSize;
        this.convertsToFloat = convertsToFloat;
    }

    /** Bytes per element. */
    public int byteSize() {
        return byteSize;
    }

    /** Whether {@link Tensor#toFloats()} can read this type. */
    public boolean convertsToFloat() {
        return convertsToFloat;
    }

    /** The type with this exact (case-sensitive) header name. */
    public static Optional<DType> byName(String name) {
        for (DType t : values()) {
            if (t.name().equals(name)) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }

    static String allNames() {
        return Arrays.stream(values()).map(Enum::name).collect(Collectors.joining(", "));
    }
}
