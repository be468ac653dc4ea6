package io.ugmm.model.internal;

/**
 * Makes text that came from a file safe to put in a one-line error message: control characters are
 * escaped and long text is cut, so a hostile tensor name cannot flood or forge terminal output.
 */
public final class MessageText {
    static final int MAX_CHARS = 80;

    private MessageText() {
    }

    /** {@code s} in single quotes, escaped, at most {@link #MAX_CHARS} characters of it. */
    public static String quote(String s) {
        return "'" + escape(s) + "'";
    }

    public static String escape(String s) {
        StringBuilder sb = new StringBuilder(Math.min(s.length(), MAX_CHARS) + 8);
        int n = Math.min(s.length(), MAX_CHARS);
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0) || c == '\u2028' || c == '\u2029') {
                sb.append(String.format("\\u%04x", (int) c));
            } else if (c == '\\' || c == '\'') {
                sb.append('\\').append(c);
            } else {
                sb.append(c);
            }
        }
        if (s.length() > n) {
            sb.append("...(").append(s.length()).append(" characters)");
        }
        return sb.toString();
    }
}
