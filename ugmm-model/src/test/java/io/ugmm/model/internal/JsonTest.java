package io.ugmm.model.internal;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

class JsonTest {
    private static void rejects(String text, String expected) {
        JsonException e = assertThrows(JsonException.class, () -> Json.parse(text));
        assertTrue(e.getMessage().contains(expected), () -> "expected '" + expected + "' in: " + e.getMessage());
    }

    @Test
    void parsesEveryKindOfValue() throws Exception {
        Object v = Json.parse(" {\"a\": [1, -0, 2.5e-3, true, false, null], \"b\": {\"c\": \"x\\u00e9\\n\\ud83d\\ude00\"}} ");
        Map<?, ?> m = (Map<?, ?>) v;
        assertEquals(List.of(1L, 0L, 2.5e-3, true, false, Json.NULL), m.get("a"));
        assertEquals(Map.of("c", "x\u00e9\n\ud83d\ude00"), m.get("b"));
        assertEquals(List.of("a", "b"), List.copyOf(m.keySet()), "file order");
        assertEquals(Long.MAX_VALUE, Json.parse("9223372036854775807"));
        assertEquals(Long.MIN_VALUE, Json.parse("-9223372036854775808"));
    }

    @Test
    void rejectsWhatStrictJsonForbids() {
        rejects("{\"a\":1,\"a\":2}", "duplicate key 'a' at character 7");
        rejects("[1,]", "expected a value");
        rejects("{\"a\":1,}", "expected a string key");
        rejects("[1] [2]", "after the JSON value");
        rejects("01", "leading zero");
        rejects("1.", "no digit after the decimal point");
        rejects(".5", "expected a value");
        rejects("+1", "expected a value");
        rejects("1e", "no digit in the exponent");
        rejects("-", "'-' not followed by a digit");
        rejects("9223372036854775808", "does not fit in 64 bits");
        rejects("1e400", "does not fit in a double");
        rejects("1" + "0".repeat(200) + ".0", "number longer than 100 characters");
        rejects("\"a\nb\"", "unescaped control character U+000A");
        rejects("\"\\x\"", "invalid escape \\x");
        rejects("\"\\ud800\"", "unpaired surrogate \\uD800");
        rejects("\"\\udc00x\"", "unpaired surrogate \\uDC00");
        rejects("\"\\ud800\\u0041\"", "unpaired surrogate");
        rejects("\"\\u12zz\"", "invalid \\u escape");
        rejects("\"\\u12\"", "truncated \\u escape");
        rejects("\"\\u０１２３\"", "invalid \\u escape");
        rejects("\"abc", "unterminated string");
        rejects("nul", "expected a value");
        rejects("", "unexpected end of input");
        rejects("{'a':1}", "expected a string key");
        rejects("[NaN]", "expected a value");
        rejects("\u00a0[]", "expected a value");
    }

    @Test
    void boundsDepthAndValueCount() throws Exception {
        rejects("[".repeat(65) + "]".repeat(65), "nesting deeper than 64 levels");
        Json.parse("[".repeat(64) + "]".repeat(64));
        JsonException e = assertThrows(JsonException.class, () -> Json.parse("[1,2,3,4]", 8, 4));
        assertTrue(e.getMessage().contains("more than 4 values"), e.getMessage());
    }

    @Test
    void hostileInputsStayLinear() {
        // each would take minutes if any step were quadratic or recursed per character
        assertTimeoutPreemptively(java.time.Duration.ofSeconds(10), () -> {
            rejects("[".repeat(5_000_000), "nesting deeper");
            String escapes = "\"" + "\\n".repeat(2_000_000) + "\"";
            assertEquals(2_000_000, ((String) Json.parse(escapes)).length());
            StringBuilder keys = new StringBuilder("{");
            for (int i = 0; i < 200_000; i++) {
                keys.append(i == 0 ? "" : ",").append('"').append(i).append("\":").append(i);
            }
            assertEquals(200_000, ((Map<?, ?>) Json.parse(keys.append('}').toString())).size());
            rejects("[" + "0,".repeat(1_000_000) + "0]", "more than 1000000 values");
            rejects("1".repeat(10_000_000), "number longer than 100 characters");
        });
    }

    @Test
    void quoteRoundTrips() throws Exception {
        String s = "tab\t quote\" backslash\\ nul\u0000 bell\u0007 e\u00e9 emoji\ud83d\ude00 \u2028";
        assertEquals(s, Json.parse(Json.quote(s)));
    }
}
