package io.ugmm.cli.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The request reader: numbers convert exactly as {@link Float#parseFloat}; the JSON grammar is strict. */
class PredictRequestReaderTest {

    private static PredictRequest read(String body, int width) throws RequestException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        return PredictRequestReader.read(bytes, bytes.length, width);
    }

    private static float one(String literal) throws RequestException {
        return read("{\"rows\":[[" + literal + "]]}", 1).features()[0];
    }

    @Test
    void everyNumberIsTheCorrectlyRoundedFloat() throws RequestException {
        Random random = new Random(7);
        String[] fixed = {"0", "-0", "1", "0.1", "0.46274510", "0.0039215687", "255", "1e-45", "1.4e-45", "7e-46",
            "1.17549435e-38", "1.1754942e-38", "3.4028235e38", "3.4028236e38", "123456789012345678901234567890",
            "0.000000000000000000000000000001", "9007199254740993", "16777217", "33554431e-1", "1.00000005960464477539",
            "2.5e-3", "1E5", "1e+5", "-7.25E-2", "4.000000000000000000000000001"};
        for (String literal : fixed) {
            if (Float.isInfinite(Float.parseFloat(literal))) {
                assertEquals(ErrorKind.NOT_FINITE, assertThrows(RequestException.class, () -> one(literal)).kind());
                continue;
            }
            assertEquals(Float.floatToIntBits(Float.parseFloat(literal)), Float.floatToIntBits(one(literal)), literal);
        }
        for (int i = 0; i < 100_000; i++) {
            String literal = randomLiteral(random);
            float expected = Float.parseFloat(literal);
            if (Float.isInfinite(expected)) {
                continue;
            }
            assertEquals(Float.floatToIntBits(expected), Float.floatToIntBits(one(literal)), literal);
        }
    }

    /** Short and long decimals, exponents near the fast paths' edges, float midpoints written out exactly. */
    private static String randomLiteral(Random random) {
        switch (random.nextInt(5)) {
            case 0:
                return Float.toString(Float.intBitsToFloat(random.nextInt() & 0x7f7fffff)).replace("E", "e");
            case 1:
                return String.format(Locale.ROOT, "%." + random.nextInt(10) + "f", random.nextDouble() * 1000);
            case 2: {
                long digits = random.nextLong() >>> random.nextInt(64);
                return digits + "e" + (random.nextInt(61) - 40);
            }
            case 3: {
                // the exact value halfway between two floats, and one digit either side of it
                float f = Float.intBitsToFloat(random.nextInt(0x7f000000) + 0x00800000);
                BigDecimal mid = new BigDecimal(f).add(new BigDecimal(Math.nextUp(f))).divide(BigDecimal.valueOf(2));
                String text = mid.toPlainString();
                return random.nextBoolean() ? text : mid.round(new java.math.MathContext(17)).toString().replace("E+", "e");
            }
            default:
                return (random.nextBoolean() ? "-" : "") + random.nextInt(256) + "." + random.nextInt(1_000_000);
        }
    }

    @Test
    void rowsAreReadInOrderWithAnyJsonWhitespace() throws RequestException {
        PredictRequest request = read(" \n{ \"rows\" :\t[ [1, 2.5] ,\r\n[-3e2,0 ] ] }\n", 2);
        assertEquals(2, request.rowCount());
        assertEquals(1f, request.features()[0]);
        assertEquals(2.5f, request.features()[1]);
        assertEquals(-300f, request.features()[2]);
        assertEquals(0f, request.features()[3]);
        assertEquals(0, read("{\"rows\": []}", 3).rowCount());
    }

    @Test
    void theGrammarIsStrict() {
        String[] refused = {"", "[]", "{\"rows\": [[1]],}", "{\"rows\": [[1],]}", "{\"rows\": [[1,]]}",
            "{\"rows\": [[+1]]}", "{\"rows\": [[.5]]}", "{\"rows\": [[1.]]}", "{\"rows\": [[0x10]]}",
            "{\"rows\": [[1e]]}", "{\"rows\": [[1]]} {}", "{\"rows\": [[1]], \"rows\": [[2]]}", "{'rows': [[1]]}",
            "{\"rows\": [[1]]", "{\"rows\": [[--1]]}", "{\"rows\": [[1 2]]}", "{\"rows\" [[1]]}"};
        for (String body : refused) {
            RequestException e = assertThrows(RequestException.class, () -> read(body, 1), body);
            assertEquals(400, e.status(), body);
            assertTrue(e.getMessage().length() > 10, body + " -> " + e.getMessage());
        }
    }

    @Test
    void aLongTokenIsShownCutShort() {
        RequestException e = assertThrows(RequestException.class,
                () -> read("{\"rows\": [[\"" + "x".repeat(10_000) + "\"]]}", 1));
        assertTrue(e.getMessage().length() < 200, e.getMessage());
        assertEquals(ErrorKind.NOT_A_NUMBER, e.kind());
    }
}
