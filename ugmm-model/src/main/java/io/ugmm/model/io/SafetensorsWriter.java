package io.ugmm.model.io;

import io.ugmm.model.internal.AtomicFileWriter;
import io.ugmm.model.internal.Json;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Writes safetensors files the way the format's reference writer lays them out: {@code __metadata__}
 * first (omitted when empty), then the tensors sorted by name with consecutive data offsets, and the
 * JSON header padded with spaces so the data section starts at a multiple of 8 bytes.
 * Any tensor type is written as it is; ugmm's own models are F32.
 */
public final class SafetensorsWriter {
    private SafetensorsWriter() {
    }

    /**
     * Writes {@code file} to {@code target} atomically (see {@link AtomicFileWriter}): after a crash,
     * {@code target} holds either its old content or the complete new file, never part of one.
     */
    public static void write(SafetensorsFile file, Path target) throws IOException {
        AtomicFileWriter.write(target, out -> write(file, out));
    }

    /** Writes {@code file} to a stream (not closed). */
    public static void write(SafetensorsFile file, OutputStream out) throws IOException {
        List<Tensor> tensors = new ArrayList<>(file.tensors());
        tensors.sort(Comparator.comparing(Tensor::name));
        byte[] header = header(file.metadata(), tensors);
        byte[] prefix = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(header.length).array();
        out.write(prefix);
        out.write(header);
        for (Tensor t : tensors) {
            ByteBuffer data = t.data();
            byte[] chunk = new byte[Math.min(data.remaining(), 1 << 16)];
            while (data.hasRemaining()) {
                int n = Math.min(chunk.length, data.remaining());
                data.get(chunk, 0, n);
                out.write(chunk, 0, n);
            }
        }
    }

    /** The whole file as bytes. */
    public static byte[] toBytes(SafetensorsFile file) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            write(file, out);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a ByteArrayOutputStream does not fail
        }
        return out.toByteArray();
    }

    /** The UTF-8 JSON header, space-padded so that 8 + its length is a multiple of 8. */
    static byte[] header(Map<String, String> metadata, List<Tensor> sortedTensors) {
        StringBuilder json = new StringBuilder("{");
        if (!metadata.isEmpty()) {
            json.append(Json.quote(SafetensorsFile.METADATA_KEY)).append(":{");
            String separator = "";
            for (Map.Entry<String, String> e : metadata.entrySet()) {
                json.append(separator).append(Json.quote(e.getKey())).append(':').append(Json.quote(e.getValue()));
                separator = ",";
            }
            json.append('}');
        }
        long offset = 0;
        String separator = metadata.isEmpty() ? "" : ",";
        for (Tensor t : sortedTensors) {
            json.append(separator).append(Json.quote(t.name())).append(":{\"dtype\":\"").append(t.dtype().name())
                    .append("\",\"shape\":[");
            long[] shape = t.shape();
            for (int i = 0; i < shape.length; i++) {
                json.append(i == 0 ? "" : ",").append(shape[i]);
            }
            long end = offset + t.byteSize();
            json.append("],\"data_offsets\":[").append(offset).append(',').append(end).append("]}");
            offset = end;
            separator = ",";
        }
        json.append('}');
        byte[] utf8 = json.toString().getBytes(StandardCharsets.UTF_8);
        int padding = (8 - utf8.length % 8) % 8;
        if (padding == 0) {
            return utf8;
        }
        byte[] padded = java.util.Arrays.copyOf(utf8, utf8.length + padding);
        java.util.Arrays.fill(padded, utf8.length, padded.length, (byte) ' ');
        return padded;
    }
}
