package io.ugmm.datasets;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import static io.ugmm.datasets.IdxReaderTest.assertContains;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class MnistDigitsJsonTest {
    @TempDir
    Path dir;

    /** {"data":[...]} with {@code images} images whose pixel i is (i mod 5) / 4. */
    static String digitsJson(int images) {
        StringBuilder json = new StringBuilder("{ \"data\": [");
        for (int i = 0; i < images * 784; i++) {
            json.append(i == 0 ? "" : ",").append(i % 5 == 0 ? "0" : Float.toString((i % 5) / 4f));
        }
        return json.append("]}").toString();
    }

    private static float[] parse(String json) {
        return MnistDigitsJson.parsePixels("7.json", json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void readsConcatenatedImages() {
        float[] pixels = parse(digitsJson(2));
        assertEquals(2 * 784, pixels.length);
        assertEquals(0f, pixels[0]);
        assertEquals(0.25f, pixels[1]);
        assertEquals(1f, pixels[4]);
    }

    @Test
    void acceptsJsonNumberFormsAndWhitespace() {
        String values = "0,1,0.5,1e-1,2.5E-1,-0," + "0,".repeat(777) + "0";
        float[] pixels = parse("\n{\"data\" :\t[ " + values.replace(",", " , ") + " ] }\n");
        assertArrayEquals(new float[] {0, 1, 0.5f, 0.1f, 0.25f, -0f}, Arrays.copyOf(pixels, 6));
    }

    @Test
    void malformedDocumentsGiveLineAndColumn() {
        String ok = digitsJson(1);
        assertEquals("7.json line 1, column 1: expected '{', found '['",
                assertThrows(DatasetException.class, () -> parse("[0]")).getMessage());
        assertContains(assertThrows(DatasetException.class, () -> parse("{\"pixels\":[0]}")),
                "expected the member \"data\", found \"pixels\"");
        assertContains(assertThrows(DatasetException.class, () -> parse(ok.replace("]}", ",]}"))),
                "expected a number, found ']'");
        assertContains(assertThrows(DatasetException.class, () -> parse("{\"data\":[0,\n0,x]}")),
                "7.json line 2, column 3: expected a number, found 'x'");
        assertContains(assertThrows(DatasetException.class, () -> parse("{\"data\":[0,NaN]}")),
                "expected a number, found 'N'");
        assertContains(assertThrows(DatasetException.class, () -> parse("{\"data\":[0,.5]}")),
                "expected a number, found '.'");
        assertContains(assertThrows(DatasetException.class, () -> parse("{\"data\":[0,1.]}")),
                "expected a digit after the decimal point, found ']'");
        assertContains(assertThrows(DatasetException.class, () -> parse("{\"data\":[0 1]}")),
                "expected ',' or ']' after a number, found '1'");
        assertContains(assertThrows(DatasetException.class, () -> parse(ok + "{}")),
                "expected the end of the file after the closing '}', found '{'");
    }

    @Test
    void truncatedFileSaysSo() {
        String ok = digitsJson(1);
        assertContains(assertThrows(DatasetException.class, () -> parse(ok.substring(0, ok.length() / 2))),
                "found the end of the file (is it truncated?)");
    }

    @Test
    void valuesOutsideTheUnitRange() {
        String json = digitsJson(1).replaceFirst("\\[0,", "[0,1.5,").replaceFirst(",0]}", "]}");
        assertContains(assertThrows(DatasetException.class, () -> parse(json)),
                "pixel value 2 is 1.5; expected a number from 0 to 1");
    }

    @Test
    void aCountThatIsNotWholeImages() {
        String json = digitsJson(1).replace("]}", ",0]}");
        assertEquals("7.json: 785 pixel values are not a whole number of 784-pixel images (1 images and 1 values left over)",
                assertThrows(DatasetException.class, () -> parse(json)).getMessage());
        assertContains(assertThrows(DatasetException.class, () -> parse("{\"data\":[]}")), "0 pixel values");
    }

    @Test
    void emptyAndMissingFiles() throws IOException {
        Path empty = Files.write(dir.resolve("3.json"), new byte[0]);
        assertEquals(empty + ": file is empty; expected {\"data\": [...]}",
                assertThrows(DatasetException.class, () -> MnistDigitsJson.readPixels(empty)).getMessage());
        Path absent = dir.resolve("4.json");
        assertEquals(absent + ": no such file",
                assertThrows(DatasetException.class, () -> MnistDigitsJson.readPixels(absent)).getMessage());
    }

    @Test
    void aDirectoryOfTenFilesLoadsAsDigits() throws IOException {
        Path digits = Files.createDirectories(dir.resolve("package/src/digits"));
        for (int d = 0; d < 10; d++) {
            Files.writeString(digits.resolve(d + ".json"), digitsJson(d % 3 + 1));
        }
        Dataset loaded = MnistDigits.load(dir.resolve("package"));
        assertArrayEquals(new int[] {1, 2, 3, 1, 2, 3, 1, 2, 3, 1}, loaded.labelHistogram());
        assertEquals(784, loaded.features());
        assertEquals(MnistDigits.load(digits).rows(), loaded.rows());

        Files.delete(digits.resolve("5.json"));
        assertContains(assertThrows(DatasetException.class, () -> MnistDigits.load(digits)), "5.json: no such file");
    }
}
