package io.ugmm.datasets;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static io.ugmm.datasets.IdxReaderTest.assertContains;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class CsvReaderTest {
    @TempDir
    Path dir;

    private Path csv(String name, String text) throws IOException {
        return Files.writeString(dir.resolve(name), text, StandardCharsets.UTF_8);
    }

    @Test
    void headerAndTextLabelsInTheLastColumn() throws IOException {
        Path file = csv("flowers.csv", "a,b,kind\n1,2,rose\n3.5,-4e1,lily\n\n5,6,rose\n");
        Dataset d = CsvReader.read(file);
        assertEquals("flowers", d.name());
        assertEquals(3, d.rows());
        assertEquals(2, d.features());
        assertEquals(List.of("a", "b"), d.featureNames());
        assertEquals(List.of("lily", "rose"), d.classNames()); // sorted, whatever the row order
        assertArrayEquals(new float[] {1, 2, 3.5f, -40, 5, 6}, d.features);
        assertArrayEquals(new int[] {1, 0, 1}, d.labels);
    }

    @Test
    void noHeaderIntegerLabelsInANumberedColumn() throws IOException {
        Path file = csv("n.csv", "2, 0.5, 1\n0, 1.5, 2\r\n1, 2.5, 3\n");
        Dataset d = CsvReader.read(file, CsvOptions.defaults().labelColumn("1"));
        assertEquals(List.of("0", "1", "2"), d.classNames());
        assertArrayEquals(new int[] {2, 0, 1}, d.labels);
        assertArrayEquals(new float[] {0.5f, 1, 1.5f, 2, 2.5f, 3}, d.features);
        assertEquals(List.of("column 2", "column 3"), d.featureNames());
    }

    @Test
    void labelColumnByNameQuotedFieldsAndOtherDelimiters() throws IOException {
        Path file = csv("q.csv", "\uFEFF\"class\";x;\"y \"\"mm\"\"\"\n\"a; b\";1;2\nc;3;4\n");
        Dataset d = CsvReader.read(file, CsvOptions.defaults().delimiter(';').labelColumnName("CLASS"));
        assertEquals(List.of("x", "y \"mm\""), d.featureNames());
        assertEquals(List.of("a; b", "c"), d.classNames());
        assertArrayEquals(new float[] {1, 2, 3, 4}, d.features);
    }

    @Test
    void numericLookingTextLabelsSortByValue() throws IOException {
        Dataset d = CsvReader.read(csv("f.csv", "1,10.0\n2,2.0\n3,1.5\n"));
        assertEquals(List.of("1.5", "2.0", "10.0"), d.classNames());
    }

    @Test
    void fixedClassNamesMapATestFileLikeItsTrainingFile() throws IOException {
        Path file = csv("test.csv", "x,label\n1,virginica\n2,0\n");
        Dataset d = CsvReader.read(file, CsvOptions.defaults().classNames(Iris.CLASS_NAMES));
        assertArrayEquals(new int[] {2, 0}, d.labels);
        Path bad = csv("bad.csv", "x,label\n1,virginica\n2,tulip\n");
        assertContains(assertThrows(DatasetException.class,
                        () -> CsvReader.read(bad, CsvOptions.defaults().classNames(Iris.CLASS_NAMES))),
                bad + " line 3, column 2: unknown class 'tulip'");
    }

    @Test
    void nonNumericFieldNamesFileLineAndColumn() throws IOException {
        StringBuilder text = new StringBuilder("a,b,c,label\n");
        for (int i = 2; i < 17; i++) {
            text.append("1,2,3,x\n");
        }
        text.append("1,2,abc,x\n");
        Path file = csv("iris.csv", text.toString());
        DatasetException e = assertThrows(DatasetException.class, () -> CsvReader.read(file));
        assertEquals(file + " line 17, column 3: expected a number, found 'abc'", e.getMessage());
    }

    @Test
    void missingFieldNamesLineAndExpectedAndFoundCounts() throws IOException {
        Path file = csv("short.csv", "1,2,3,a\n4,5,6,b\n7,8,c\n");
        DatasetException e = assertThrows(DatasetException.class, () -> CsvReader.read(file));
        assertEquals(file + " line 3: expected 4 fields (as in line 1), found 3", e.getMessage());
        Path extra = csv("long.csv", "a,b,l\n1,2,x,9\n");
        assertContains(assertThrows(DatasetException.class, () -> CsvReader.read(extra)),
                "line 2: expected 3 fields (as in the header), found 4");
    }

    @Test
    void emptyFieldsAndNonFiniteNumbersAreErrors() throws IOException {
        assertContains(assertThrows(DatasetException.class, () -> CsvReader.read(csv("e.csv", "1,,x\n"))),
                "line 1, column 2: expected a number, found an empty field");
        assertContains(assertThrows(DatasetException.class, () -> CsvReader.read(csv("n.csv", "1,2,x\nNaN,2,y\n"))),
                "line 2, column 1: NaN is not a finite number");
        assertContains(assertThrows(DatasetException.class, () -> CsvReader.read(csv("i.csv", "1,2,x\n1e99,2,y\n"))),
                "line 2, column 1: 1e99 is beyond the range of a float");
        assertContains(assertThrows(DatasetException.class, () -> CsvReader.read(csv("l.csv", "1,2,x\n1,2,\n"))),
                "line 2, column 3: the label is empty");
    }

    @Test
    void emptyFileHeaderOnlyAndOneColumn() throws IOException {
        Path empty = csv("empty.csv", "");
        assertEquals(empty + ": file is empty (no header and no data rows)",
                assertThrows(DatasetException.class, () -> CsvReader.read(empty)).getMessage());
        assertContains(assertThrows(DatasetException.class, () -> CsvReader.read(csv("blank.csv", "\n  \n"))),
                "file is empty");
        assertContains(assertThrows(DatasetException.class, () -> CsvReader.read(csv("h.csv", "a,b\n"))),
                "has a header but no data rows");
        assertContains(assertThrows(DatasetException.class, () -> CsvReader.read(csv("one.csv", "1;2;x\n"))),
                "line 1: found 1 field");
    }

    @Test
    void badLabelColumnChoices() throws IOException {
        Path file = csv("c.csv", "a,b,kind\n1,2,x\n");
        assertContains(assertThrows(DatasetException.class,
                        () -> CsvReader.read(file, CsvOptions.defaults().labelColumnName("species"))),
                "no column named 'species'; the header has a, b, kind");
        assertContains(assertThrows(DatasetException.class,
                        () -> CsvReader.read(file, CsvOptions.defaults().labelColumnNumber(4))),
                "label column 4 does not exist: the line has 3 fields");
        assertContains(assertThrows(DatasetException.class,
                        () -> CsvReader.read(file, CsvOptions.defaults().header(CsvOptions.Header.ABSENT))),
                "line 1, column 1: expected a number, found 'a'");
    }

    @Test
    void unterminatedQuote() throws IOException {
        assertContains(assertThrows(DatasetException.class, () -> CsvReader.read(csv("u.csv", "1,2,\"x\n"))),
                "line 1, column 3: a quoted field has no closing quote");
    }

    @Test
    void aLabelColumnThatIsReallyAMeasurement() throws IOException {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 3; i++) {
            text.append(i).append(',').append(20_000 + i).append('\n');
        }
        assertContains(assertThrows(DatasetException.class, () -> CsvReader.read(csv("m.csv", text.toString()))),
                "is it really the label column?");
    }

    @Test
    void missingFile() {
        Path file = dir.resolve("absent.csv");
        assertEquals(file + ": no such file", assertThrows(DatasetException.class, () -> CsvReader.read(file)).getMessage());
    }
}
