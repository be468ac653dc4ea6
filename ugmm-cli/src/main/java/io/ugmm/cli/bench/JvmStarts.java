package io.ugmm.cli.bench;

import io.ugmm.model.internal.Json;
import io.ugmm.model.internal.JsonException;
import io.ugmm.simd.MixtureKernels;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The forward kernel's speed-ups in further JVM starts: the JIT's decisions (what it inlines, in which order
 * it compiles) and the placement of arrays differ between starts, and a kernel that is fast in most starts
 * can be slow in some (seen: the previous kernel on JDK 17, 25 % slower in one start of four). Each start is
 * a child JVM with this JVM's options and class path, running {@link #main} and printing one JSON line.
 */
public final class JvmStarts {
    private JvmStarts() {
    }

    /** Speed-ups per shape of one start, in the order of {@link Shape#STANDARD}. */
    public record Start(List<Double> speedups, List<Double> vectorElementsPerSecond) {
    }

    /** Runs {@code count} child JVMs one after the other. */
    public static List<Start> run(int count, int rounds, long roundNanos, long seed) throws IOException,
            InterruptedException {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<Start> starts = new ArrayList<>();
        for (int s = 0; s < count; s++) {
            List<String> cmd = new ArrayList<>();
            cmd.add(java);
            cmd.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
            cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), JvmStarts.class.getName(),
                    Integer.toString(rounds), Long.toString(roundNanos), Long.toString(seed)));
            Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (p.waitFor() != 0) {
                throw new IllegalStateException("bench: JVM start " + (s + 2) + " failed: " + out);
            }
            starts.add(parse(out));
        }
        return starts;
    }

    static Start parse(String json) {
        List<Double> speedups = new ArrayList<>();
        List<Double> speeds = new ArrayList<>();
        Object root;
        try {
            root = Json.parse(json);
        } catch (JsonException e) {
            throw new IllegalStateException("bench: a JVM start printed no result: " + json, e);
        }
        for (Object o : (List<?>) ((Map<?, ?>) root).get("shapes")) {
            Map<?, ?> shape = (Map<?, ?>) o;
            speedups.add(((Number) shape.get("speedup")).doubleValue());
            speeds.add(((Number) shape.get("vector")).doubleValue());
        }
        return new Start(speedups, speeds);
    }

    /** A child start: measures {@link Shape#STANDARD} and prints {@code {"shapes": [{"speedup": ..., "vector": ...}]}}. */
    public static void main(String[] args) {
        int rounds = Integer.parseInt(args[0]);
        long roundNanos = Long.parseLong(args[1]);
        long seed = Long.parseLong(args[2]);
        KernelBench bench = new KernelBench(MixtureKernels.scalar(), MixtureKernels.vector().orElseThrow(),
                roundNanos, rounds, seed);
        bench.warmUp(Shape.STANDARD);
        StringBuilder sb = new StringBuilder("{\"shapes\": [");
        for (Shape shape : Shape.STANDARD) {
            KernelBench.Result r = bench.measure(shape);
            sb.append(sb.charAt(sb.length() - 1) == '[' ? "" : ", ")
                    .append(String.format(Locale.ROOT, "{\"speedup\": %.4f, \"vector\": %.0f}", r.speedup(),
                            r.vectorElementsPerSecond()));
        }
        System.out.println(sb.append("]}"));
    }
}
