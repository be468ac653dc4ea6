package io.ugmm.model.io;

import io.ugmm.model.internal.AtomicFileWriter;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SafetensorsWriterTest {
    private static SafetensorsFile sample() {
        return new SafetensorsFile(Map.of("format", "ugmm", "note", "ünïcode \"quoted\"\n"), List.of(
                Tensor.ofFloats("z", new float[] {1, 2, 3, 4, 5, 6}, 2, 3),
                Tensor.ofFloats("a", new float[] {-0f, Float.MIN_VALUE, Float.MAX_VALUE}, 3),
                Tensor.of("i", DType.I64, new long[] {1}, new byte[8])));
    }

    @Test
    void writesTheReferenceLayout() {
        byte[] bytes = SafetensorsWriter.toBytes(sample());
        long n = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getLong();
        assertEquals(0, (8 + n) % 8, "data starts 8-byte aligned");
        String header = new String(bytes, 8, (int) n, StandardCharsets.UTF_8);
        assertTrue(header.startsWith("{\"__metadata__\":{\"format\":\"ugmm\",\"note\":"), header);
        assertTrue(header.indexOf("\"a\":") < header.indexOf("\"i\":") && header.indexOf("\"i\":") < header.indexOf("\"z\":"),
                "sorted by name: " + header);
        assertTrue(header.contains("\"a\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,12]}"), header);
        assertTrue(header.endsWith("}") || header.stripTrailing().endsWith("}"));
        assertEquals(8 + n + 12 + 8 + 24, bytes.length);
    }

    @Test
    void roundTripsThroughTheReader() throws Exception {
        SafetensorsFile read = SafetensorsReader.read(SafetensorsWriter.toBytes(sample()), "x");
        assertEquals(sample(), read);
        assertArrayEquals(new float[] {-0f, Float.MIN_VALUE, Float.MAX_VALUE}, read.tensor("a").orElseThrow().toFloats());
        assertEquals(Float.floatToRawIntBits(-0f), Float.floatToRawIntBits(read.tensor("a").orElseThrow().toFloats()[0]));
    }

    @Test
    void omitsEmptyMetadata() {
        byte[] bytes = SafetensorsWriter.toBytes(new SafetensorsFile(Map.of(), List.of()));
        assertEquals("{}      ", new String(bytes, 8, bytes.length - 8, StandardCharsets.UTF_8));
    }

    @Test
    void refusesNamesThatCannotBeWritten() {
        assertThrows(IllegalArgumentException.class, () -> Tensor.ofFloats("bad\ud800", new float[1], 1));
        assertThrows(IllegalArgumentException.class,
                () -> new SafetensorsFile(Map.of(), List.of(Tensor.ofFloats("__metadata__", new float[1], 1))));
        assertThrows(IllegalArgumentException.class, () -> new SafetensorsFile(Map.of(),
                List.of(Tensor.ofFloats("a", new float[1], 1), Tensor.ofFloats("a", new float[1], 1))));
        assertThrows(IllegalArgumentException.class, () -> Tensor.ofFloats("a", new float[3], 2, 2));
    }

    @Test
    void atomicWriteReplacesTheFileAndLeavesNoTemporaryFile(@TempDir Path dir) throws Exception {
        Path target = dir.resolve("m.safetensors");
        Files.writeString(target, "old");
        SafetensorsWriter.write(sample(), target);
        assertEquals(sample(), SafetensorsReader.read(target));
        assertEquals(List.of(target), list(dir));
    }

    @Test
    void aFailedWriteKeepsTheOldFileAndDeletesTheTemporaryOne(@TempDir Path dir) throws Exception {
        Path target = dir.resolve("m.safetensors");
        Files.writeString(target, "old model");
        IOException e = assertThrows(IOException.class, () -> AtomicFileWriter.write(target, out -> {
            out.write(new byte[100_000]); // some of it reaches the temporary file
            throw new IOException("disk full (simulated)");
        }));
        assertEquals("disk full (simulated)", e.getMessage());
        assertEquals("old model", Files.readString(target));
        assertEquals(List.of(target), list(dir), "no temporary file left behind");
    }

    @Test
    void aBodyThatClosesTheStreamStillGetsItsDataForced(@TempDir Path dir) throws Exception {
        Path target = dir.resolve("out.txt");
        AtomicFileWriter.write(target, out -> {
            out.write("hello".getBytes(StandardCharsets.UTF_8));
            out.close();
        });
        assertEquals("hello", Files.readString(target));
    }

    @Test
    void writingIntoAMissingDirectoryFailsCleanly(@TempDir Path dir) {
        assertThrows(IOException.class, () -> SafetensorsWriter.write(sample(), dir.resolve("no/such/dir/m.safetensors")));
    }

    private static List<Path> list(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.toList();
        }
    }
}
