package io.ugmm.cli;

import io.ugmm.model.internal.Json;

import java.util.Locale;

/** One JSON object on one line, from alternating keys and values (strings, numbers; NaN becomes null). */
final class JsonLine {
    private JsonLine() {
    }

    static String of(Object... keyValues) {
        StringBuilder sb = new StringBuilder("{");
        for (int i = 0; i < keyValues.length; i += 2) {
            sb.append(i == 0 ? "" : ",").append(Json.quote(keyValues[i].toString())).append(':');
            Object v = keyValues[i + 1];
            if (v instanceof Double || v instanceof Float) {
                double d = ((Number) v).doubleValue();
                sb.append(Double.isFinite(d) ? String.format(Locale.ROOT, "%.6g", d).replaceAll("\\.?0+(e|$)", "$1")
                        : "null");
            } else if (v instanceof Number || v instanceof Boolean) {
                sb.append(v);
            } else {
                sb.append(Json.quote(String.valueOf(v)));
            }
        }
        return sb.append('}').toString();
    }
}
