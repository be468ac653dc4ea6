package io.ugmm.cli.serve;

import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;

/** A Prometheus histogram with fixed upper bounds; lock-free to observe from many threads. */
final class Histogram {
    private final String name;
    private final String help;
    private final double[] bounds;
    private final LongAdder[] buckets; // one per bound, plus +Inf
    private final DoubleAdder sum = new DoubleAdder();
    private final LongAdder count = new LongAdder();

    Histogram(String name, String help, double... bounds) {
        this.name = name;
        this.help = help;
        this.bounds = bounds.clone();
        this.buckets = new LongAdder[bounds.length + 1];
        for (int i = 0; i < buckets.length; i++) {
            buckets[i] = new LongAdder();
        }
    }

    void observe(double value) {
        int i = 0;
        while (i < bounds.length && value > bounds[i]) {
            i++;
        }
        buckets[i].increment();
        sum.add(value);
        count.increment();
    }

    long count() {
        return count.sum();
    }

    void render(StringBuilder out) {
        out.append("# HELP ").append(name).append(' ').append(help).append('\n');
        out.append("# TYPE ").append(name).append(" histogram\n");
        long cumulative = 0;
        for (int i = 0; i < buckets.length; i++) {
            cumulative += buckets[i].sum();
            String le = i < bounds.length ? number(bounds[i]) : "+Inf";
            out.append(name).append("_bucket{le=\"").append(le).append("\"} ").append(cumulative).append('\n');
        }
        out.append(name).append("_sum ").append(number(sum.sum())).append('\n');
        out.append(name).append("_count ").append(count.sum()).append('\n');
    }

    static String number(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v)
                : java.math.BigDecimal.valueOf(v).toPlainString();
    }
}
