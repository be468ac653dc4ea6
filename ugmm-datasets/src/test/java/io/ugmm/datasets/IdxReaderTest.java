package io.ugmm.datasets;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import static io.ugmm.datasets.IdxFiles.gzip;
import static io.ugmm.datasets.IdxFiles.images;
import static io.ugmm.datasets.IdxFiles.labels;
import static io.ugmm.datasets.IdxFiles.write;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class IdxReaderTest {
    @TempDir
    Path dir;

    @Test
    void readsRawAndGzippedImagesAlike() {
        byte[] data = images(3, 2, 4, 250);
        IdxReader.Images raw = IdxReader.readImages(write(dir, "raw", data));
        IdxReader.Images gz = IdxReader.readImages(write(dir, "gz", gzip(data)));
        assertEquals(3, raw.count());
        assertEquals(2, raw.height());
        assertEquals(4, raw.width());
        assertArrayEquals(raw.pixels(), gz.pixels());
        assertEquals(250, raw.pixel(0, 0));
        assertEquals(255, raw.pixel(0, 5));
        assertEquals(0, raw.pixel(0, 6)); // unsigned: 256 wraps to 0, never to a negative value
    }

    @Test
    void readsLabelsAsUnsignedNumbers() {
        assertArrayEquals(new int[] {0, 9, 200}, IdxReader.readLabels(write(dir, "l.gz", gzip(labels(0, 9, 200)))));
    }

    @Test
    void pairsImagesWithLabelsAndScalesPixelsToTheUnitRange() {
        Path img = write(dir, "i", images(2, 1, 2, 254));
        Path lab = write(dir, "l", labels(1, 0));
        Dataset d = IdxReader.readDataset("tiny", img, lab, List.of("a", "b"));
        assertEquals(2, d.rows());
        assertEquals(2, d.features());
        assertArrayEquals(new float[] {254 / 255f, 1f, 0f, 1 / 255f}, d.features);
        assertArrayEquals(new int[] {1, 0}, d.labels);
        assertEquals(List.of("pixel 0,0", "pixel 0,1"), d.featureNames());
    }

    @Test
    void truncatedGzipSaysSoAndNamesTheFile() {
        byte[] whole = gzip(images(50, 28, 28, 7));
        Path file = write(dir, "train-images-idx3-ubyte.gz", Arrays.copyOf(whole, whole.length / 2));
        DatasetException e = assertThrows(DatasetException.class, () -> IdxReader.readImages(file));
        assertContains(e, file.toString());
        assertContains(e, "gzip data is truncated or corrupt");
        assertContains(e, "expected 39216 bytes");
    }

    @Test
    void corruptGzipChecksumIsCaught() {
        byte[] gz = gzip(images(2, 3, 3, 1));
        gz[gz.length - 6] ^= 0x55; // inside the CRC32 of the trailer
        Path file = write(dir, "crc.gz", gz);
        assertContains(assertThrows(DatasetException.class, () -> IdxReader.readImages(file)), "corrupt");
    }

    @Test
    void truncatedRawFileGivesExpectedAndFoundBytes() {
        byte[] data = images(10, 28, 28, 0);
        Path file = write(dir, "cut", Arrays.copyOf(data, 5000));
        DatasetException e = assertThrows(DatasetException.class, () -> IdxReader.readImages(file));
        assertContains(e, file + ": truncated: expected 7856 bytes (16-byte header + 10 images x 28 x 28 pixels), found 5000");
    }

    @Test
    void truncatedLabelsFile() {
        byte[] data = labels(1, 2, 3, 4);
        Path file = write(dir, "labels.gz", gzip(Arrays.copyOf(data, 10)));
        assertContains(assertThrows(DatasetException.class, () -> IdxReader.readLabels(file)),
                "expected 12 bytes (8-byte header + 4 labels), found 10");
    }

    @Test
    void wrongMagicNumberIsNamed() {
        byte[] data = images(1, 2, 2, 0);
        data[3] = 0x04;
        Path file = write(dir, "odd", data);
        DatasetException e = assertThrows(DatasetException.class, () -> IdxReader.readImages(file));
        assertContains(e, "not an IDX images file: magic number 0x00000804, expected 0x00000803");
    }

    @Test
    void swappedImagesAndLabelsAreSpottedFromTheMagic() {
        Path labelsFile = write(dir, "labels", labels(1, 2));
        DatasetException e = assertThrows(DatasetException.class, () -> IdxReader.readImages(labelsFile));
        assertContains(e, "magic number 0x00000801, expected 0x00000803");
        assertContains(e, "swapped");
    }

    @Test
    void aFileThatIsNotIdxAtAll() {
        Path file = write(dir, "photo.png", new byte[] {(byte) 0x89, 'P', 'N', 'G', 13, 10, 26, 10, 0, 0, 0, 0, 0, 0});
        assertContains(assertThrows(DatasetException.class, () -> IdxReader.readLabels(file)), "not an IDX file");
    }

    @Test
    void imageAndLabelCountsThatDisagree() {
        Path img = write(dir, "img", images(3, 2, 2, 0));
        Path lab = write(dir, "lab", labels(0, 1));
        DatasetException e = assertThrows(DatasetException.class,
                () -> IdxReader.readDataset("x", img, lab, List.of("a", "b")));
        assertContains(e, "image and label counts disagree: " + img + " holds 3 images but " + lab + " holds 2 labels");
    }

    @Test
    void labelBeyondTheClassNames() {
        Path img = write(dir, "img", images(2, 1, 1, 0));
        Path lab = write(dir, "lab", labels(0, 10));
        assertContains(assertThrows(DatasetException.class,
                        () -> IdxReader.readDataset("x", img, lab, FashionMnist.CLASS_NAMES)),
                "label number 2 is 10, but there are only 10 classes (0..9)");
    }

    @Test
    void emptyFilesRawOrGzipped() {
        Path empty = write(dir, "empty", new byte[0]);
        assertContains(assertThrows(DatasetException.class, () -> IdxReader.readImages(empty)), empty + ": is empty");
        Path emptyGz = write(dir, "empty.gz", gzip(new byte[0]));
        assertContains(assertThrows(DatasetException.class, () -> IdxReader.readLabels(emptyGz)), "is empty");
    }

    @Test
    void zeroOrNegativeDimensions() {
        byte[] data = ByteBuffer.allocate(16).putInt(IdxReader.IMAGES_MAGIC).putInt(5).putInt(0).putInt(28).array();
        Path file = write(dir, "zero", data);
        assertContains(assertThrows(DatasetException.class, () -> IdxReader.readImages(file)),
                "dimension 2 of 3 is 0");
    }

    @Test
    void moreDataThanTheHeaderDeclares() {
        byte[] data = Arrays.copyOf(labels(1, 2), 13);
        Path file = write(dir, "long", data);
        assertContains(assertThrows(DatasetException.class, () -> IdxReader.readLabels(file)),
                "expected 10 bytes (8-byte header + 2 labels), found 3 more");
    }

    @Test
    void missingFile() {
        Path file = dir.resolve("nope.gz");
        assertContains(assertThrows(DatasetException.class, () -> IdxReader.readImages(file)), file + ": no such file");
    }

    static void assertContains(Exception e, String expected) {
        assertTrue(e.getMessage().contains(expected), () -> "message\n  " + e.getMessage() + "\nlacks\n  " + expected);
    }
}
