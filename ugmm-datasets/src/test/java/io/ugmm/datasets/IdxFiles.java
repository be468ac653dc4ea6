package io.ugmm.datasets;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;

/** Builds small IDX files for tests. */
final class IdxFiles {
    private IdxFiles() {
    }

    /** An images file: header then {@code count * height * width} pixels, pixel i of the file = (seed + i) mod 256. */
    static byte[] images(int count, int height, int width, int seed) {
        ByteBuffer b = ByteBuffer.allocate(16 + count * height * width);
        b.putInt(IdxReader.IMAGES_MAGIC).putInt(count).putInt(height).putInt(width);
        for (int i = 0; i < count * height * width; i++) {
            b.put((byte) (seed + i));
        }
        return b.array();
    }

    static byte[] labels(int... labels) {
        ByteBuffer b = ByteBuffer.allocate(8 + labels.length);
        b.putInt(IdxReader.LABELS_MAGIC).putInt(labels.length);
        for (int label : labels) {
            b.put((byte) label);
        }
        return b.array();
    }

    static byte[] gzip(byte[] data) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(data);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    static Path write(Path dir, String name, byte[] data) {
        try {
            return Files.write(dir.resolve(name), data);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
