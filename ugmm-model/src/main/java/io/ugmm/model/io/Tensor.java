package io.ugmm.model.io;

import io.ugmm.model.internal.MessageText;
import io.ugmm.model.internal.Json;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Objects;

/**
 * One named tensor of a safetensors file: element type, shape and its raw little-endian bytes.
 * Immutable: bytes are copied in, and handed out as a read-only view or converted copies.
 */
public final class Tensor {
    private final String name;
    private final DType dtype;
    private final long[] shape;
    private final byte[] data;

    /** Trusted constructor: the reader has checked that {@code data} matches dtype and shape; not copied. */
    Tensor(String name, DType dtype, long[] shape, byte[] data) {
        this.name = name;
        this.dtype = dtype;
        this.shape = shape;
        this.data = data;
    }

    /**
     * A tensor of any type from its little-endian bytes (copied).
     *
     * @throws IllegalArgumentException if the name is not well-formed text, a dimension is negative, or the
     *                                  byte count does not match the shape
     */
    public static Tensor of(String name, DType dtype, long[] shape, byte[] littleEndianData) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(dtype, "dtype");
        if (!Json.isWellFormed(name)) {
            throw new IllegalArgumentException("tensor name " + MessageText.quote(name) + " has an unpaired surrogate");
        }
        long elements = elementCount(shape);
        long bytes = Math.multiplyExact(elements, dtype.byteSize());
        if (bytes != littleEndianData.length) {
            throw new IllegalArgumentException("tensor " + MessageText.quote(name) + ": shape " + shapeString(shape)
                    + " of " + dtype + " needs " + bytes + " bytes, found " + littleEndianData.length);
        }
        return new Tensor(name, dtype, shape.clone(), littleEndianData.clone());
    }

    /** An F32 tensor of {@code values} (copied) with the given shape, e.g. {@code ofFloats("w", v, rows, cols)}. */
    public static Tensor ofFloats(String name, float[] values, long... shape) {
        long elements = elementCount(shape);
        if (elements != values.length) {
            throw new IllegalArgumentException("tensor " + MessageText.quote(name) + ": shape " + shapeString(shape)
                    + " holds " + elements + " values, found " + values.length);
        }
        if (!Json.isWellFormed(name)) {
            throw new IllegalArgumentException("tensor name " + MessageText.quote(name) + " has an unpaired surrogate");
        }
        ByteBuffer bytes = ByteBuffer.allocate(Math.multiplyExact(values.length, 4)).order(ByteOrder.LITTLE_ENDIAN);
        bytes.asFloatBuffer().put(values);
        return new Tensor(name, DType.F32, shape.clone(), bytes.array());
    }

    private static long elementCount(long[] shape) {
        long n = 1;
        for (long d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException("negative dimension in shape " + shapeString(shape));
            }
            n = Math.multiplyExact(n, d);
        }
        return n;
    }

    public String name() {
        return name;
    }

    public DType dtype() {
        return dtype;
    }

    /** A copy of the shape. */
    public long[] shape() {
        return shape.clone();
    }

    /** Number of dimensions. */
    public int rank() {
        return shape.length;
    }

    /** Size of dimension {@code i}. */
    public long dim(int i) {
        return shape[i];
    }

    /** Product of the dimensions (1 for a scalar). */
    public long elementCount() {
        long n = 1;
        for (long d : shape) {
            n *= d; // cannot overflow: checked when the tensor was made
        }
        return n;
    }

    /** Size of the raw data in bytes. */
    public int byteSize() {
        return data.length;
    }

    /** A read-only little-endian view of the raw data. */
    public ByteBuffer data() {
        return ByteBuffer.wrap(data).asReadOnlyBuffer().order(ByteOrder.LITTLE_ENDIAN);
    }

    /**
     * The elements as {@code float}, row-major. F32 is exact; F16 and BF16 widen exactly; F64 rounds to
     * nearest (values beyond the float range become infinities, which callers may reject).
     *
     * @throws UnsupportedOperationException for a type that is not floating-point ({@link DType#convertsToFloat()})
     */
    public float[] toFloats() {
        ByteBuffer in = data();
        int n = data.length / dtype.byteSize();
        float[] out = new float[n];
        switch (dtype) {
            case F32 -> in.asFloatBuffer().get(out);
            case F64 -> {
                for (int i = 0; i < n; i++) {
                    out[i] = (float) in.getDouble(i * 8);
                }
            }
            case F16 -> {
                for (int i = 0; i < n; i++) {
                    out[i] = halfToFloat(in.getShort(i * 2));
                }
            }
            case BF16 -> {
                for (int i = 0; i < n; i++) {
                    out[i] = Float.intBitsToFloat((in.getShort(i * 2) & 0xffff) << 16);
                }
            }
            default -> throw new UnsupportedOperationException("tensor " + MessageText.quote(name) + " is " + dtype
                    + ", which does not convert to float");
        }
        return out;
    }

    /** IEEE 754 binary16 to float, exactly (JDK 17 has no Float.float16ToFloat). */
    static float halfToFloat(short half) {
        int h = half & 0xffff;
        int sign = (h & 0x8000) << 16;
        int exponent = (h >>> 10) & 0x1f;
        int mantissa = h & 0x3ff;
        if (exponent == 0x1f) { // infinity or NaN (payload kept)
            return Float.intBitsToFloat(sign | 0x7f800000 | (mantissa << 13));
        }
        if (exponent == 0) { // zero or subnormal: mantissa * 2^-24, exact in float
            float v = mantissa * 0x1p-24f;
            return sign != 0 ? -v : v;
        }
        return Float.intBitsToFloat(sign | ((exponent + 127 - 15) << 23) | (mantissa << 13));
    }

    /** e.g. {@code [10, 11]}. */
    public String shapeString() {
        return shapeString(shape);
    }

    static String shapeString(long[] shape) {
        return Arrays.toString(shape);
    }

    /** Same name, type, shape and bytes. */
    @Override
    public boolean equals(Object o) {
        return o instanceof Tensor t && t.name.equals(name) && t.dtype == dtype && Arrays.equals(t.shape, shape)
                && Arrays.equals(t.data, data);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, dtype, Arrays.hashCode(shape), Arrays.hashCode(data));
    }

    @Override
    public String toString() {
        return "Tensor[" + MessageText.quote(name) + " " + dtype + " " + shapeString() + "]";
    }
}
