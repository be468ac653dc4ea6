package io.ugmm.model.internal;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A small strict JSON (RFC 8259) parser and string quoter, written for untrusted file headers.
 *
 * <p>Values map to Java as: object → {@code Map<String, Object>} (unmodifiable, in file order),
 * array → {@code List<Object>} (unmodifiable), string → {@link String}, integer → {@link Long},
 * other number → {@link Double}, {@code true}/{@code false} → {@link Boolean}, {@code null} → {@link #NULL}.
 *
 * <p>Refused, with a {@link JsonException} naming the character position: duplicate keys in an object,
 * integers outside the {@code long} range and other numbers outside the finite {@code double} range,
 * number literals longer than {@value #MAX_NUMBER_CHARS} characters, leading zeros, unescaped control
 * characters, unpaired UTF-16 surrogates in {@code \\u} escapes, trailing commas, anything but
 * whitespace after the value, nesting deeper than the depth limit and more values than the value limit.
 *
 * <p>Cost: one pass, linear in the text; recursion depth is bounded by the depth limit; duplicate-key
 * checks use a hash map (whose colliding String keys degrade to a tree, not a list), so no input is
 * quadratic. The caller bounds the text's length.
 */
public final class Json {
    /** The JSON {@code null}. */
    public static final Object NULL = new Object() {
        @Override
        public String toString() {
            return "null";
        }
    };
    public static final int DEFAULT_MAX_DEPTH = 64;
    public static final int DEFAULT_MAX_VALUES = 1_000_000;
    static final int MAX_NUMBER_CHARS = 100;

    private Json() {
    }

    /** Parses {@code text} with the default limits (depth 64, one million values). */
    public static Object parse(String text) throws JsonException {
        return parse(text, DEFAULT_MAX_DEPTH, DEFAULT_MAX_VALUES);
    }

    /**
     * Parses one JSON value that makes up the whole of {@code text} (surrounding whitespace allowed).
     *
     * @param maxDepth  most nested objects/arrays allowed (1 = a flat object or array)
     * @param maxValues most values allowed in total (every object, array, key's value and element counts)
     */
    public static Object parse(String text, int maxDepth, int maxValues) throws JsonException {
        Parser p = new Parser(text, maxDepth, maxValues);
        p.skipWhitespace();
        Object value = p.value();
        p.skipWhitespace();
        if (p.pos != text.length()) {
            throw new JsonException("unexpected " + p.describeHere() + " after the JSON value", p.pos);
        }
        return value;
    }

    /** {@code s} as a JSON string literal, quotes included; non-ASCII characters are kept as they are. */
    public static String quote(String s) {
        StringBuilder sb = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                case '\b' -> sb.append("\\b");
                case '\f' -> sb.append("\\f");
                default -> {
                    if (c < 0x20) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.append('"').toString();
    }

    /** Whether {@code s} is well-formed UTF-16 (no unpaired surrogate), so it encodes to UTF-8 exactly. */
    public static boolean isWellFormed(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c)) {
                if (i + 1 >= s.length() || !Character.isLowSurrogate(s.charAt(i + 1))) {
                    return false;
                }
                i++;
            } else if (Character.isLowSurrogate(c)) {
                return false;
            }
        }
        return true;
    }

    private static final class Parser {
        private final String text;
        private final int maxDepth;
        private final int maxValues;
        private int pos;
        private int depth;
        private int values;

        Parser(String text, int maxDepth, int maxValues) {
            this.text = text;
            this.maxDepth = maxDepth;
            this.maxValues = maxValues;
        }

        Object value() throws JsonException {
            if (++values > maxValues) {
                throw new JsonException("more than " + maxValues + " values", pos);
            }
            if (pos >= text.length()) {
                throw new JsonException("unexpected end of input, expected a value", pos);
            }
            char c = text.charAt(pos);
            return switch (c) {
                case '{' -> object();
                case '[' -> array();
                case '"' -> string();
                case 't' -> literal("true", Boolean.TRUE);
                case 'f' -> literal("false", Boolean.FALSE);
                case 'n' -> literal("null", NULL);
                default -> {
                    if (c == '-' || (c >= '0' && c <= '9')) {
                        yield number();
                    }
                    throw new JsonException("unexpected " + describeHere() + ", expected a value", pos);
                }
            };
        }

        private Map<String, Object> object() throws JsonException {
            enter();
            pos++; // '{'
            Map<String, Object> map = new LinkedHashMap<>();
            skipWhitespace();
            if (peek() == '}') {
                pos++;
                depth--;
                return Collections.unmodifiableMap(map);
            }
            while (true) {
                if (peek() != '"') {
                    throw new JsonException("unexpected " + describeHere() + ", expected a string key", pos);
                }
                int keyAt = pos;
                String key = string();
                if (map.containsKey(key)) {
                    throw new JsonException("duplicate key " + MessageText.quote(key), keyAt);
                }
                skipWhitespace();
                expect(':');
                skipWhitespace();
                map.put(key, value());
                skipWhitespace();
                char c = peek();
                pos++;
                if (c == '}') {
                    depth--;
                    return Collections.unmodifiableMap(map);
                }
                if (c != ',') {
                    pos--;
                    throw new JsonException("unexpected " + describeHere() + " in an object, expected ',' or '}'", pos);
                }
                skipWhitespace();
            }
        }

        private List<Object> array() throws JsonException {
            enter();
            pos++; // '['
            List<Object> list = new ArrayList<>();
            skipWhitespace();
            if (peek() == ']') {
                pos++;
                depth--;
                return Collections.unmodifiableList(list);
            }
            while (true) {
                list.add(value());
                skipWhitespace();
                char c = peek();
                pos++;
                if (c == ']') {
                    depth--;
                    return Collections.unmodifiableList(list);
                }
                if (c != ',') {
                    pos--;
                    throw new JsonException("unexpected " + describeHere() + " in an array, expected ',' or ']'", pos);
                }
                skipWhitespace();
            }
        }

        private void enter() throws JsonException {
            if (++depth > maxDepth) {
                throw new JsonException("nesting deeper than " + maxDepth + " levels", pos);
            }
        }

        private String string() throws JsonException {
            pos++; // opening quote
            int start = pos;
            // fast path: no escapes
            while (pos < text.length()) {
                char c = text.charAt(pos);
                if (c == '"') {
                    return text.substring(start, pos++);
                }
                if (c == '\\' || c < 0x20) {
                    break;
                }
                pos++;
            }
            StringBuilder sb = new StringBuilder(pos - start + 16).append(text, start, pos);
            while (pos < text.length()) {
                char c = text.charAt(pos);
                if (c == '"') {
                    pos++;
                    return sb.toString();
                }
                if (c < 0x20) {
                    throw new JsonException(String.format("unescaped control character U+%04X in a string", (int) c), pos);
                }
                if (c != '\\') {
                    sb.append(c);
                    pos++;
                    continue;
                }
                int escapeAt = pos;
                pos++;
                if (pos >= text.length()) {
                    break;
                }
                char e = text.charAt(pos++);
                switch (e) {
                    case '"', '\\', '/' -> sb.append(e);
                    case 'b' -> sb.append('\b');
                    case 'f' -> sb.append('\f');
                    case 'n' -> sb.append('\n');
                    case 'r' -> sb.append('\r');
                    case 't' -> sb.append('\t');
                    case 'u' -> {
                        char unit = hex4(escapeAt);
                        if (Character.isHighSurrogate(unit)) {
                            int lowAt = pos;
                            if (!text.startsWith("\\u", pos)) {
                                throw new JsonException("unpaired surrogate \\u" + hex(unit), escapeAt);
                            }
                            pos += 2;
                            char low = hex4(lowAt);
                            if (!Character.isLowSurrogate(low)) {
                                throw new JsonException("unpaired surrogate \\u" + hex(unit), escapeAt);
                            }
                            sb.append(unit).append(low);
                        } else if (Character.isLowSurrogate(unit)) {
                            throw new JsonException("unpaired surrogate \\u" + hex(unit), escapeAt);
                        } else {
                            sb.append(unit);
                        }
                    }
                    default -> throw new JsonException("invalid escape \\" + MessageText.escape(String.valueOf(e)),
                            escapeAt);
                }
            }
            throw new JsonException("unterminated string", pos);
        }

        /** Reads the 4 hex digits after a backslash-u (pos is just past the 'u'). */
        private char hex4(int escapeAt) throws JsonException {
            if (pos + 4 > text.length()) {
                throw new JsonException("truncated \\u escape", escapeAt);
            }
            int v = 0;
            for (int i = 0; i < 4; i++) {
                int d = Character.digit(text.charAt(pos + i), 16);
                // Character.digit accepts non-ASCII digits; JSON allows only 0-9, a-f, A-F
                if (d < 0 || text.charAt(pos + i) > 'f') {
                    throw new JsonException("invalid \\u escape", escapeAt);
                }
                v = v * 16 + d;
            }
            pos += 4;
            return (char) v;
        }

        private static String hex(char c) {
            return String.format("%04X", (int) c);
        }

        private Object number() throws JsonException {
            int start = pos;
            boolean integral = true;
            if (peek() == '-') {
                pos++;
            }
            if (peek() == '0') {
                pos++;
                if (isDigit(peek())) {
                    throw new JsonException("number with a leading zero", start);
                }
            } else if (isDigit(peek())) {
                skipDigits();
            } else {
                throw new JsonException("'-' not followed by a digit", start);
            }
            if (peek() == '.') {
                integral = false;
                pos++;
                if (!isDigit(peek())) {
                    throw new JsonException("no digit after the decimal point", start);
                }
                skipDigits();
            }
            if (peek() == 'e' || peek() == 'E') {
                integral = false;
                pos++;
                if (peek() == '+' || peek() == '-') {
                    pos++;
                }
                if (!isDigit(peek())) {
                    throw new JsonException("no digit in the exponent", start);
                }
                skipDigits();
            }
            if (pos - start > MAX_NUMBER_CHARS) {
                throw new JsonException("number longer than " + MAX_NUMBER_CHARS + " characters", start);
            }
            String literal = text.substring(start, pos);
            if (integral) {
                try {
                    return Long.parseLong(literal);
                } catch (NumberFormatException e) {
                    throw new JsonException("integer " + literal + " does not fit in 64 bits", start);
                }
            }
            double d = Double.parseDouble(literal);
            if (Double.isInfinite(d)) {
                throw new JsonException("number " + literal + " does not fit in a double", start);
            }
            return d;
        }

        private void skipDigits() {
            while (isDigit(peek())) {
                pos++;
            }
        }

        private static boolean isDigit(char c) {
            return c >= '0' && c <= '9';
        }

        private Object literal(String word, Object value) throws JsonException {
            if (!text.startsWith(word, pos)) {
                throw new JsonException("unexpected " + describeHere() + ", expected a value", pos);
            }
            pos += word.length();
            return value;
        }

        private void expect(char c) throws JsonException {
            if (peek() != c) {
                throw new JsonException("unexpected " + describeHere() + ", expected '" + c + "'", pos);
            }
            pos++;
        }

        /** The current character, or NUL at the end (NUL cannot appear legally outside a string here). */
        private char peek() {
            return pos < text.length() ? text.charAt(pos) : '\0';
        }

        void skipWhitespace() {
            while (pos < text.length()) {
                char c = text.charAt(pos);
                if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
                    return;
                }
                pos++;
            }
        }

        String describeHere() {
            if (pos >= text.length()) {
                return "end of input";
            }
            return "character " + MessageText.quote(String.valueOf(text.charAt(pos)));
        }
    }
}
