package io.ugmm.model.io;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static io.ugmm.model.io.SafetensorsBytes.entry;
import static io.ugmm.model.io.SafetensorsBytes.floats;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** One test per validation rule, each on a hand-made file; plus what valid files read as. */
class SafetensorsReaderTest {
    private static final String FILE = "model.safetensors";

    private static ModelFileException rejects(byte[] bytes, String expectedDetail) {
        ModelFileException e = assertThrows(ModelFileException.class, () -> SafetensorsReader.read(bytes, FILE));
        assertTrue(e.getMessage().startsWith(FILE + ": "), e.getMessage());
        assertTrue(e.getMessage().contains(expectedDetail), () -> "expected '" + expectedDetail + "' in: " + e.getMessage());
        assertEquals(-1, e.getMessage().indexOf('\n'), "one line");
        return e;
    }

    private static byte[] file(String header, int dataBytes) {
        return SafetensorsBytes.of(header, dataBytes);
    }

    // --- valid files ---

    @Test
    void readsTensorsMetadataAndValues() throws Exception {
        String header = "{\"__metadata__\":{\"format\":\"pt\"}," + entry("b", "F32", "[2]", 0, 8) + ","
                + entry("a", "F32", "[1,1]", 8, 12) + "}";
        byte[] data = ByteBuffer.allocate(12).put(floats(1.5f, -2f)).put(floats(3.25f)).array();
        SafetensorsFile f = SafetensorsReader.read(SafetensorsBytes.of(header, data), FILE);
        assertEquals(Map.of("format", "pt"), f.metadata());
        assertEquals(List.of("b", "a"), f.names(), "data order");
        assertArrayEquals(new float[] {1.5f, -2f}, f.tensor("b").orElseThrow().toFloats());
        assertArrayEquals(new long[] {1, 1}, f.tensor("a").orElseThrow().shape());
        assertArrayEquals(new float[] {3.25f}, f.tensor("a").orElseThrow().toFloats());
        assertEquals(FILE, f.source());
    }

    @Test
    void acceptsTrailingSpacePaddingAnEmptyHeaderAndZeroSizedTensors() throws Exception {
        assertEquals(0, SafetensorsReader.read(file("{}      ", 0), FILE).tensors().size());
        SafetensorsFile f = SafetensorsReader.read(file("{" + entry("empty", "F32", "[0,3]", 0, 0) + ","
                + entry("x", "F32", "[1]", 0, 4) + "}   ", 4), FILE);
        assertEquals(0, f.tensor("empty").orElseThrow().elementCount());
        assertEquals(2, f.tensors().size());
    }

    @Test
    void convertsHalfBfloatAndDoubleToFloat() throws Exception {
        ByteBuffer data = ByteBuffer.allocate(6 + 6 + 24).order(ByteOrder.LITTLE_ENDIAN);
        data.putShort((short) 0x3c00).putShort((short) 0xc000).putShort((short) 0x0001); // F16 1, -2, 2^-24
        data.putShort((short) 0x3f80).putShort((short) 0x4049).putShort((short) 0xff80); // BF16 1, 3.140625, -inf
        data.putDouble(0.1).putDouble(-1e300).putDouble(65504.0);
        String header = "{" + entry("h", "F16", "[3]", 0, 6) + "," + entry("b", "BF16", "[3]", 6, 12) + ","
                + entry("d", "F64", "[3]", 12, 36) + "}";
        SafetensorsFile f = SafetensorsReader.read(SafetensorsBytes.of(header, data.array()), FILE);
        assertArrayEquals(new float[] {1f, -2f, 0x1p-24f}, f.tensor("h").orElseThrow().toFloats());
        assertArrayEquals(new float[] {1f, 3.140625f, Float.NEGATIVE_INFINITY}, f.tensor("b").orElseThrow().toFloats());
        assertArrayEquals(new float[] {0.1f, Float.NEGATIVE_INFINITY, 65504f}, f.tensor("d").orElseThrow().toFloats());
    }

    @Test
    void halfPrecisionConversionIsExactForEveryBitPattern() {
        for (int bits = 0; bits < 0x10000; bits++) {
            float f = Tensor.halfToFloat((short) bits);
            int exponent = (bits >>> 10) & 0x1f;
            int mantissa = bits & 0x3ff;
            double expected = exponent == 0 ? mantissa * 0x1p-24 : exponent == 0x1f
                    ? (mantissa == 0 ? Double.POSITIVE_INFINITY : Double.NaN)
                    : (1 + mantissa / 1024.0) * Math.pow(2, exponent - 15);
            if ((bits & 0x8000) != 0) {
                expected = -expected;
            }
            if (Double.isNaN(expected)) {
                assertTrue(Float.isNaN(f));
            } else {
                assertEquals((float) expected, f, "bits " + Integer.toHexString(bits));
                assertEquals(Math.copySign(1f, (float) expected), Math.copySign(1f, f), "sign of " + bits);
            }
        }
    }

    @Test
    void readsFilesFromDiskAndNamesMissingOnes(@TempDir Path dir) throws Exception {
        Path p = dir.resolve("m.safetensors");
        Files.write(p, SafetensorsBytes.of("{" + entry("x", "F32", "[1]", 0, 4) + "}", floats(7f)));
        assertArrayEquals(new float[] {7f}, SafetensorsReader.read(p).tensor("x").orElseThrow().toFloats());

        Path missing = dir.resolve("nope.safetensors");
        ModelFileException e = assertThrows(ModelFileException.class, () -> SafetensorsReader.read(missing));
        assertEquals(missing + ": no such file", e.getMessage());
        ModelFileException d = assertThrows(ModelFileException.class, () -> SafetensorsReader.read(dir));
        assertTrue(d.getMessage().contains("is a directory"), d.getMessage());
    }

    // --- the length prefix ---

    @Test
    void rejectsAFileShorterThanTheLengthPrefix() {
        rejects(new byte[5], "the file is 5 bytes, too short for the 8-byte header length");
    }

    @Test
    void rejectsAHeaderLengthOverTheLimit() {
        rejects(SafetensorsBytes.withLength(100_000_001L, new byte[0], new byte[0]),
                "header length 100000001 bytes is over the limit of 100000000 bytes");
        rejects(SafetensorsBytes.withLength(Long.MIN_VALUE, new byte[0], new byte[0]),
                "header length 9223372036854775808 bytes is over the limit");
    }

    @Test
    void rejectsAHeaderLengthPastTheEndOfTheFile() {
        rejects(SafetensorsBytes.withLength(50, "{}".getBytes(), new byte[0]),
                "header length 50 bytes is more than the 2 bytes after the length prefix");
    }

    // --- the header text ---

    @Test
    void rejectsAHeaderThatDoesNotStartWithABrace() {
        rejects(file(" {}", 0), "the header does not start with '{'");
        rejects(file("[]", 0), "the header does not start with '{'");
        rejects(SafetensorsBytes.raw(new byte[0], new byte[0]), "the header does not start with '{'");
    }

    @Test
    void rejectsAHeaderThatIsNotUtf8() {
        byte[] header = "{\"__metadata__\":{\"a\":\"xx\"}}".getBytes();
        header[22] = (byte) 0xc0; // overlong encoding start
        header[23] = (byte) 0x80;
        rejects(SafetensorsBytes.raw(header, new byte[0]), "the header is not valid UTF-8 (bad byte sequence at byte 22");
    }

    @Test
    void utf8ValidationAgreesWithTheJdksStrictDecoder() {
        java.util.SplittableRandom random = new java.util.SplittableRandom(1);
        int[] interesting = {0x00, 0x41, 0x7f, 0x80, 0x8f, 0x90, 0x9f, 0xa0, 0xbf, 0xc0, 0xc1, 0xc2, 0xdf, 0xe0, 0xed,
                0xef, 0xf0, 0xf4, 0xf5, 0xff};
        for (int a = 0; a < 256; a++) {
            for (int b = 0; b < 256; b++) {
                assertSameVerdict(new byte[] {(byte) a, (byte) b});
                for (int c : interesting) {
                    assertSameVerdict(new byte[] {(byte) a, (byte) b, (byte) c});
                    assertSameVerdict(new byte[] {(byte) a, (byte) b, (byte) c, (byte) 0x80});
                }
            }
        }
        for (int i = 0; i < 100_000; i++) {
            byte[] bytes = new byte[1 + random.nextInt(8)];
            for (int k = 0; k < bytes.length; k++) {
                bytes[k] = (byte) interesting[random.nextInt(interesting.length)];
            }
            assertSameVerdict(bytes);
        }
    }

    private static final java.nio.charset.CharsetDecoder STRICT = java.nio.charset.StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(java.nio.charset.CodingErrorAction.REPORT)
            .onUnmappableCharacter(java.nio.charset.CodingErrorAction.REPORT);

    private static final java.nio.CharBuffer OUT = java.nio.CharBuffer.allocate(64);

    private static void assertSameVerdict(byte[] bytes) {
        // CoderResult rather than decode(ByteBuffer), whose exceptions would make this test slow
        OUT.clear();
        boolean jdk = !STRICT.reset().decode(ByteBuffer.wrap(bytes), OUT, true).isError()
                && !STRICT.flush(OUT).isError();
        if (jdk != (SafetensorsReader.firstInvalidUtf8(bytes) < 0)) {
            throw new AssertionError("disagree on " + java.util.HexFormat.of().formatHex(bytes) + ": jdk says " + jdk);
        }
    }

    @Test
    void rejectsAHeaderThatIsNotJson() {
        rejects(file("{\"a\":{},}", 0), "the header is not valid JSON: unexpected character '}', expected a string key");
        rejects(file("{} x", 0), "the header is not valid JSON: unexpected character 'x' after the JSON value");
        rejects(file("{}\u0000", 0), "after the JSON value");
    }

    @Test
    void rejectsDuplicateTensorNames() {
        String e = entry("w", "F32", "[1]", 0, 4);
        rejects(file("{" + e + "," + e + "}", 4), "duplicate key 'w'");
    }

    @Test
    void rejectsNestingDeeperThanTheLimit() {
        String deep = "[".repeat(100_000) + "]".repeat(100_000);
        rejects(file("{\"__metadata__\":" + deep + "}", 0), "nesting deeper than 64 levels");
    }

    // --- __metadata__ ---

    @Test
    void rejectsMetadataThatIsNotAStringMap() {
        rejects(file("{\"__metadata__\":{\"epochs\":10}}", 0), "__metadata__ must map strings to strings, but 'epochs' is a number");
        rejects(file("{\"__metadata__\":[\"a\"]}", 0), "__metadata__ must be an object mapping strings to strings, found a list");
    }

    // --- tensor entries ---

    @Test
    void rejectsAnEntryThatIsNotAnObject() {
        rejects(file("{\"w\":[1,2]}", 0), "tensor 'w': must be an object with dtype, shape and data_offsets, found a list");
    }

    @Test
    void rejectsUnknownAndMissingEntryKeys() {
        rejects(file("{\"w\":{\"dtype\":\"F32\",\"shape\":[],\"data_offsets\":[0,4],\"offsets\":[0,4]}}", 4),
                "tensor 'w': unknown key 'offsets'");
        rejects(file("{\"w\":{\"shape\":[1],\"data_offsets\":[0,4]}}", 4), "tensor 'w': missing dtype");
        rejects(file("{\"w\":{\"dtype\":\"F32\",\"data_offsets\":[0,4]}}", 4), "tensor 'w': missing shape");
        rejects(file("{\"w\":{\"dtype\":\"F32\",\"shape\":[1]}}", 4), "tensor 'w': missing data_offsets");
    }

    @Test
    void rejectsUnknownDtypes() {
        rejects(file("{" + entry("w", "F128", "[1]", 0, 16) + "}", 16), "tensor 'w': unknown dtype 'F128'; known: BOOL, U8");
        rejects(file("{" + entry("w", "f32", "[1]", 0, 4) + "}", 4), "unknown dtype 'f32'");
        rejects(file("{\"w\":{\"dtype\":4,\"shape\":[1],\"data_offsets\":[0,4]}}", 4), "dtype must be a string, found a number");
    }

    @Test
    void rejectsShapesThatAreNotNonNegativeIntegers() {
        rejects(file("{" + entry("w", "F32", "[2,-1]", 0, 0) + "}", 0),
                "tensor 'w': shape must be a list of non-negative integers, found -1 at position 1");
        rejects(file("{" + entry("w", "F32", "[2.0]", 0, 8) + "}", 8), "found 2.0 at position 0");
        rejects(file("{" + entry("w", "F32", "4", 0, 16) + "}", 16), "shape must be a list of non-negative integers, found a number");
        rejects(file("{" + entry("w", "F32", "[99999999999999999999]", 0, 4) + "}", 4),
                "integer 99999999999999999999 does not fit in 64 bits");
    }

    @Test
    void rejectsMalformedDataOffsets() {
        rejects(file("{\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4,8]}}", 8),
                "tensor 'w': data_offsets must be a list of 2 non-negative integers, found 3 values");
        rejects(file("{\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[-4,0]}}", 0), "found -4 at position 0");
        rejects(file("{" + entry("w", "F32", "[0]", 8, 4) + "}", 8), "tensor 'w': data_offsets [8, 4] end before they begin");
    }

    @Test
    void rejectsASpanThatDoesNotMatchTheShape() {
        ModelFileException e = rejects(file("{" + entry("layers.0.mu", "F32", "[10,11]", 0, 400) + "}", 400), "");
        assertEquals("model.safetensors: tensor 'layers.0.mu': data_offsets [0, 400] span 400 bytes but shape [10, 11] "
                + "of F32 needs 440", e.getMessage());
        assertEquals("layers.0.mu", e.tensor().orElseThrow());
    }

    @Test
    void rejectsShapesWhoseSizeOverflows() {
        rejects(file("{" + entry("w", "F32", "[1099511627776,1099511627776]", 0, 4) + "}", 4),
                "tensor 'w': shape [1099511627776, 1099511627776] has more elements than fit in 64 bits");
        rejects(file("{" + entry("w", "F64", "[4611686018427387904]", 0, 4) + "}", 4),
                "shape [4611686018427387904] of F64 needs more bytes than fit in 64 bits");
    }

    // --- the data section ---

    @Test
    void rejectsOffsetsPastTheDataSection() {
        rejects(file("{" + entry("w", "F32", "[4]", 0, 16) + "}", 8),
                "tensor 'w': data_offsets [0, 16] reach past the end of the 8-byte data section");
    }

    @Test
    void rejectsOverlappingTensors() {
        rejects(file("{" + entry("a", "F32", "[2]", 0, 8) + "," + entry("b", "F32", "[2]", 4, 12) + "}", 12),
                "tensor 'b': data_offsets [4, 12] overlap tensor 'a' at [0, 8]");
        rejects(file("{" + entry("a", "F32", "[2]", 0, 8) + "," + entry("b", "F32", "[2]", 0, 8) + "}", 8),
                "overlap tensor");
    }

    @Test
    void rejectsGapsBetweenTensors() {
        rejects(file("{" + entry("a", "F32", "[1]", 0, 4) + "," + entry("b", "F32", "[1]", 8, 12) + "}", 12),
                "tensor 'b': data_offsets [8, 12] leave bytes [4, 8) of the data section unused");
        rejects(file("{" + entry("a", "F32", "[1]", 4, 8) + "}", 8), "leave bytes [0, 4) of the data section unused");
    }

    @Test
    void rejectsTrailingBytesAfterTheLastTensor() {
        rejects(file("{" + entry("a", "F32", "[1]", 0, 4) + "}", 7),
                "the data section has 7 bytes but the tensors cover only the first 4 (3 trailing bytes)");
        rejects(file("{}", 1), "the data section has 1 bytes but the tensors cover only the first 0");
    }

    @Test
    void escapesHostileNamesInMessages() {
        String name = "evil\\nname" + "x".repeat(500);
        ModelFileException e = rejects(file("{\"" + name + "\":1}", 0), "tensor 'evil\\u000aname");
        assertTrue(e.getMessage().length() < 300, e.getMessage());
    }
}
