package io.ugmm.cli.bench;

import io.ugmm.model.internal.Json;
import io.ugmm.model.internal.JsonException;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Expected vector/scalar speed-ups per shape, read from a JSON file in the format
 * {@link BenchReport#toJson()} writes (so {@code ugmm bench --json FILE} refreshes a baseline).
 * Only the ratios are compared: absolute speeds change with the machine and its load, the ratio of two
 * kernels timed side by side much less.
 *
 * @param source     where it was read from, for messages
 * @param jdk        the JDK it was measured on, or empty when the file does not say
 * @param vectorBits the vector width it was measured with, or 0 when the file does not say
 * @param twoThreadSpeedup the batch-1 latency with one thread divided by that with a two-thread workspace,
 *                   measured in the same run ({@code net_b1_latency_us / net_b1_2threads_latency_us}), or 0 when
 *                   the file does not have both
 */
public record Baseline(String source, String jdk, int vectorBits, List<Expectation> expectations,
                       double twoThreadSpeedup) {

    /** One shape's expected speed-up. */
    public record Expectation(Shape shape, double speedup) {
    }

    /**
     * Reads a baseline.
     *
     * @throws IllegalArgumentException naming the source and what is wrong (malformed JSON, missing
     *                                  {@code shapes}, a shape without {@code B}/{@code N}/{@code M}/{@code speedup},
     *                                  a non-positive speed-up, a shape listed twice)
     */
    public static Baseline parse(String json, String source) {
        Object root;
        try {
            root = Json.parse(json);
        } catch (JsonException e) {
            throw new IllegalArgumentException(source + ": not valid JSON: " + e.getMessage(), e);
        }
        if (!(root instanceof Map<?, ?> top)) {
            throw new IllegalArgumentException(source + ": expected a JSON object at the top level");
        }
        if (!(top.get("shapes") instanceof List<?> shapes) || shapes.isEmpty()) {
            throw new IllegalArgumentException(source + ": expected a non-empty \"shapes\" array");
        }
        List<Expectation> expectations = new ArrayList<>();
        for (int i = 0; i < shapes.size(); i++) {
            String where = source + ": shapes[" + i + "]";
            if (!(shapes.get(i) instanceof Map<?, ?> entry)) {
                throw new IllegalArgumentException(where + " is not an object");
            }
            Shape shape;
            try {
                shape = new Shape(whole(entry, "B", where), whole(entry, "N", where), whole(entry, "M", where));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(e.getMessage().startsWith(source) ? e.getMessage()
                        : where + ": " + e.getMessage(), e);
            }
            double speedup = number(entry, "speedup", where);
            if (!(speedup > 0) || Double.isInfinite(speedup)) {
                throw new IllegalArgumentException(where + ": \"speedup\" must be a positive number, found " + speedup);
            }
            for (Expectation e : expectations) {
                if (e.shape().equals(shape)) {
                    throw new IllegalArgumentException(where + ": shape " + shape + " is listed twice");
                }
            }
            expectations.add(new Expectation(shape, speedup));
        }
        String jdk = top.get("jdk") instanceof String s ? s : "";
        int bits = top.get("vector_bits") instanceof Number n ? n.intValue() : 0;
        double twoThreadSpeedup = 0;
        if (top.containsKey("net_b1_2threads_latency_us")) {
            double one = number(top, "net_b1_latency_us", source);
            double two = number(top, "net_b1_2threads_latency_us", source);
            if (!(one > 0 && two > 0) || Double.isInfinite(one) || Double.isInfinite(two)) {
                throw new IllegalArgumentException(source + ": batch-1 latencies must be positive numbers, found "
                        + one + " and " + two + " us");
            }
            twoThreadSpeedup = one / two;
        }
        return new Baseline(source, jdk, bits, List.copyOf(expectations), twoThreadSpeedup);
    }

    private static double number(Map<?, ?> entry, String key, String where) {
        if (!(entry.get(key) instanceof Number n)) {
            throw new IllegalArgumentException(where + ": expected a number \"" + key + "\", found "
                    + (entry.containsKey(key) ? entry.get(key) : "none"));
        }
        return n.doubleValue();
    }

    private static int whole(Map<?, ?> entry, String key, String where) {
        double v = number(entry, key, where);
        if (v != Math.rint(v) || Math.abs(v) > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(where + ": \"" + key + "\" must be a whole number, found " + v);
        }
        return (int) v;
    }
}
