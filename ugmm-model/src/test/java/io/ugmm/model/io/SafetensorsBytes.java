package io.ugmm.model.io;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/** Builds safetensors bytes by hand (header text + data), so malformed files are one line each in tests. */
final class SafetensorsBytes {
    private SafetensorsBytes() {
    }

    /** 8-byte length of {@code header}, then the header as UTF-8, then {@code data}. */
    static byte[] of(String header, byte[] data) {
        return raw(header.getBytes(StandardCharsets.UTF_8), data);
    }

    static byte[] of(String header, int dataBytes) {
        return of(header, new byte[dataBytes]);
    }

    static byte[] raw(byte[] header, byte[] data) {
        return withLength(header.length, header, data);
    }

    /** A length prefix that may lie about the header that follows. */
    static byte[] withLength(long claimedLength, byte[] header, byte[] data) {
        return ByteBuffer.allocate(8 + header.length + data.length).order(ByteOrder.LITTLE_ENDIAN)
                .putLong(claimedLength).put(header).put(data).array();
    }

    /** Little-endian F32 bytes of {@code values}. */
    static byte[] floats(float... values) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) {
            b.putFloat(v);
        }
        return b.array();
    }

    /** Header JSON entry for one tensor, e.g. {@code "a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}. */
    static String entry(String name, String dtype, String shape, long begin, long end) {
        return "\"" + name + "\":{\"dtype\":\"" + dtype + "\",\"shape\":" + shape + ",\"data_offsets\":[" + begin
                + "," + end + "]}";
    }
}
