package io.ugmm.datasets;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Reads the IDX files of the MNIST family (MNIST, Fashion-MNIST, KMNIST, ...): unsigned-byte images
 * (magic {@code 0x00000803}: count, height, width) and labels (magic {@code 0x00000801}: count), all
 * integers big-endian. Files may be gzip-compressed or raw; gzip is recognised by its magic bytes
 * {@code 1f 8b}, not by the file name.
 *
 * <p>Everything is checked: the magic number, that dimensions are positive, and that the file holds
 * exactly as many bytes as its header declares. A gzip file is read to its end so that its CRC is
 * verified too.
 */
public final class IdxReader {
    /** Magic number of an unsigned-byte, 3-dimensional IDX file (images). */
    public static final int IMAGES_MAGIC = 0x00000803;
    /** Magic number of an unsigned-byte, 1-dimensional IDX file (labels). */
    public static final int LABELS_MAGIC = 0x00000801;

    private static final int BUFFER = 1 << 16;
    private static final int CHUNK = 1 << 20;

    private IdxReader() {
    }

    /** The images of one IDX image file: {@code count} images of {@code height x width} unsigned bytes. */
    public record Images(int count, int height, int width, byte[] pixels) {
        public int pixelsPerImage() {
            return height * width;
        }

        /** Pixel {@code p} (row-major within the image) of image {@code i}, 0 to 255. */
        public int pixel(int image, int p) {
            return pixels[image * height * width + p] & 0xFF;
        }
    }

    /** What an IDX file's header declares, read without reading the data. */
    public record Header(int magic, int[] dimensions) {
        public int count() {
            return dimensions[0];
        }
    }

    public static Images readImages(Path file) {
        try (InputStream in = open(file)) {
            int[] dims = readHeader(file, in, IMAGES_MAGIC).dimensions();
            long size = (long) dims[0] * dims[1] * dims[2];
            byte[] pixels = readBody(file, in, size, 16,
                    "16-byte header + " + dims[0] + " images x " + dims[1] + " x " + dims[2] + " pixels");
            return new Images(dims[0], dims[1], dims[2], pixels);
        } catch (IOException e) {
            throw ioFailure(file, e);
        }
    }

    /** Each label as a number from 0 to 255. */
    public static int[] readLabels(Path file) {
        try (InputStream in = open(file)) {
            int count = readHeader(file, in, LABELS_MAGIC).count();
            byte[] raw = readBody(file, in, count, 8, "8-byte header + " + count + " labels");
            int[] labels = new int[count];
            for (int i = 0; i < count; i++) {
                labels[i] = raw[i] & 0xFF;
            }
            return labels;
        } catch (IOException e) {
            throw ioFailure(file, e);
        }
    }

    /** The header of an images ({@code expectedMagic = IMAGES_MAGIC}) or labels file, checked. */
    public static Header readHeader(Path file, int expectedMagic) {
        try (InputStream in = open(file)) {
            return readHeader(file, in, expectedMagic);
        } catch (IOException e) {
            throw ioFailure(file, e);
        }
    }

    /**
     * An images file and its labels file as one dataset, pixels scaled from 0..255 to [0, 1], one
     * feature per pixel named {@code "pixel ROW,COL"}.
     *
     * @param classNames names of the classes; every label must be below its size
     */
    public static Dataset readDataset(String name, Path imagesFile, Path labelsFile, List<String> classNames) {
        Images images = readImages(imagesFile);
        int[] labels = readLabels(labelsFile);
        if (images.count() != labels.length) {
            throw new DatasetException("image and label counts disagree: " + imagesFile + " holds "
                    + images.count() + " images but " + labelsFile + " holds " + labels.length + " labels");
        }
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] >= classNames.size()) {
                throw new DatasetException(labelsFile + ": label number " + (i + 1) + " is " + labels[i]
                        + ", but there are only " + classNames.size() + " classes (0.." + (classNames.size() - 1) + ")");
            }
        }
        byte[] pixels = images.pixels();
        float[] features = new float[pixels.length];
        for (int i = 0; i < pixels.length; i++) {
            features[i] = (pixels[i] & 0xFF) / 255f;
        }
        return new Dataset(name, features, labels, images.pixelsPerImage(),
                pixelNames(images.height(), images.width()), classNames);
    }

    private static List<String> pixelNames(int height, int width) {
        String[] names = new String[height * width];
        for (int r = 0; r < height; r++) {
            for (int c = 0; c < width; c++) {
                names[r * width + c] = "pixel " + r + "," + c;
            }
        }
        return List.of(names);
    }

    private static InputStream open(Path file) throws IOException {
        InputStream in = new BufferedInputStream(Files.newInputStream(file), BUFFER);
        in.mark(2);
        int b0 = in.read();
        int b1 = in.read();
        in.reset();
        if (b0 == 0x1f && b1 == 0x8b) {
            try {
                return new GZIPInputStream(in, BUFFER);
            } catch (IOException e) {
                in.close();
                throw new DatasetException(file + ": starts like a gzip file but its gzip header is broken ("
                        + e.getMessage() + ")", e);
            }
        }
        return in;
    }

    private static Header readHeader(Path file, InputStream in, int expectedMagic) throws IOException {
        byte[] magicBytes = readFully(file, in, 4, 0, "a 4-byte magic number");
        int magic = bigEndian(magicBytes, 0);
        if (magic != expectedMagic) {
            throw new DatasetException(file + ": not an IDX " + kind(expectedMagic) + " file: magic number "
                    + hex(magic) + ", expected " + hex(expectedMagic) + hint(magic, expectedMagic));
        }
        int rank = expectedMagic & 0xFF;
        byte[] dimBytes = readFully(file, in, 4 * rank, 4, rank + " dimension sizes of 4 bytes");
        int[] dims = new int[rank];
        for (int d = 0; d < rank; d++) {
            dims[d] = bigEndian(dimBytes, 4 * d);
            if (dims[d] <= 0) {
                throw new DatasetException(file + ": dimension " + (d + 1) + " of " + rank + " is " + dims[d]
                        + "; IDX " + kind(expectedMagic) + " files need positive sizes");
            }
        }
        return new Header(magic, dims);
    }

    /** Reads exactly {@code size} bytes of data, then checks that nothing follows. */
    private static byte[] readBody(Path file, InputStream in, long size, int headerBytes, String layout)
            throws IOException {
        if (size > Integer.MAX_VALUE - 16) {
            throw new DatasetException(file + ": header declares " + size + " bytes of data (" + layout
                    + "), more than one array can hold");
        }
        byte[] body = readFully(file, in, (int) size, headerBytes, layout);
        long extra;
        try {
            extra = in.skip(Long.MAX_VALUE);
        } catch (ZipException | EOFException e) {
            throw corruptGzip(file, headerBytes + size, headerBytes + size, layout, e);
        }
        if (extra > 0) {
            throw new DatasetException(file + ": expected " + (headerBytes + size) + " bytes (" + layout
                    + "), found " + extra + " more; is the header wrong or two files joined?");
        }
        return body;
    }

    /** {@code n} bytes, or a message saying how many were expected in total and how many were there. */
    private static byte[] readFully(Path file, InputStream in, int n, long alreadyRead, String what)
            throws IOException {
        byte[] bytes = new byte[n];
        int done = 0;
        try {
            while (done < n) {
                int got = in.read(bytes, done, Math.min(CHUNK, n - done));
                if (got < 0) {
                    break;
                }
                done += got;
            }
        } catch (ZipException | EOFException e) {
            // GZIPInputStream says "Unexpected end of ZLIB input stream" for a cut-off download.
            throw corruptGzip(file, alreadyRead + n, alreadyRead + done, what, e);
        }
        if (done < n) {
            long expected = alreadyRead + n;
            long found = alreadyRead + done;
            if (found == 0) {
                throw new DatasetException(file + ": is empty: expected an IDX file starting with " + what);
            }
            throw new DatasetException(file + ": truncated: expected " + expected + " bytes (" + what + ")"
                    + ", found " + found);
        }
        return bytes;
    }

    private static DatasetException corruptGzip(Path file, long expected, long found, String what, IOException e) {
        return new DatasetException(file + ": gzip data is truncated or corrupt (" + e.getMessage()
                + "): expected " + expected + " bytes after decompression (" + what + "), read " + found
                + " before the failure; download or reinstall the file", e);
    }

    private static DatasetException ioFailure(Path file, IOException e) {
        if (e instanceof NoSuchFileException) {
            return new DatasetException(file + ": no such file", e);
        }
        return new DatasetException(file + ": cannot read: " + e, e);
    }

    private static int bigEndian(byte[] b, int at) {
        return (b[at] & 0xFF) << 24 | (b[at + 1] & 0xFF) << 16 | (b[at + 2] & 0xFF) << 8 | (b[at + 3] & 0xFF);
    }

    private static String kind(int magic) {
        return magic == IMAGES_MAGIC ? "images" : "labels";
    }

    private static String hex(int value) {
        return String.format("0x%08X", value);
    }

    private static String hint(int found, int expected) {
        if (found == IMAGES_MAGIC || found == LABELS_MAGIC) {
            return " (this is an IDX " + kind(found) + " file: are the images and labels files swapped?)";
        }
        if ((found >>> 16) == 0) {
            return String.format(" (an IDX file of element type 0x%02X and %d dimensions; expected unsigned bytes,"
                    + " type 0x08, and %d dimensions)", found >> 8 & 0xFF, found & 0xFF, expected & 0xFF);
        }
        return " (not an IDX file, or compressed with something other than gzip)";
    }
}
