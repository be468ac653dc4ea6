package io.ugmm.cli.bench;

import io.ugmm.model.internal.Json;

import java.io.PrintStream;
import java.util.List;
import java.util.Locale;

/**
 * Everything one {@code ugmm bench} run measured, as a table for people and as one JSON object
 * (which is also the baseline format {@link Baseline} reads).
 *
 * @param jdk         {@code java.version}, e.g. {@code 17.0.15}
 * @param kernel      the kernel this JVM chose for the network ({@code scalar} or {@code vector})
 * @param vectorBits  the vector kernel's lane width in bits (the CPU's preferred float vector unless forced)
 * @param loadAverage the system load average when the run started (other processes share the cores)
 * @param clock       what the kernel and throughput figures are measured in (normally thread CPU time)
 */
public record BenchReport(String jdk, String kernel, String kernelDescription, int vectorBits, int cores,
                          double loadAverage, String clock, int rounds, List<KernelBench.Result> shapes,
                          String network, NetworkTiming.Result net) {

    public String toJson() {
        StringBuilder sb = new StringBuilder("{\n");
        sb.append("  \"jdk\": ").append(Json.quote(jdk)).append(",\n");
        sb.append("  \"kernel\": ").append(Json.quote(kernel)).append(",\n");
        sb.append("  \"vector_bits\": ").append(vectorBits).append(",\n");
        sb.append("  \"cores\": ").append(cores).append(",\n");
        sb.append("  \"load_average\": ").append(fixed(loadAverage, 2)).append(",\n");
        sb.append("  \"clock\": ").append(Json.quote(clock)).append(",\n");
        sb.append("  \"rounds\": ").append(rounds).append(",\n");
        sb.append("  \"shapes\": [\n");
        for (int i = 0; i < shapes.size(); i++) {
            KernelBench.Result r = shapes.get(i);
            sb.append("    {\"B\": ").append(r.shape().rows())
                    .append(", \"N\": ").append(r.shape().inputs())
                    .append(", \"M\": ").append(r.shape().mixtures())
                    .append(", \"scalar_elements_per_s\": ").append(Math.round(r.scalarElementsPerSecond()))
                    .append(", \"vector_elements_per_s\": ").append(Math.round(r.vectorElementsPerSecond()))
                    .append(", \"speedup\": ").append(fixed(r.speedup(), 3))
                    .append(", \"speedup_min\": ").append(fixed(r.speedupMin(), 3))
                    .append(", \"speedup_max\": ").append(fixed(r.speedupMax(), 3))
                    .append(i + 1 < shapes.size() ? "},\n" : "}\n");
        }
        sb.append("  ],\n");
        sb.append("  \"net\": ").append(Json.quote(network)).append(",\n");
        sb.append("  \"net_b1_latency_us\": ").append(fixed(net.batch1MeanMicros(), 2)).append(",\n");
        sb.append("  \"net_b1_2threads_latency_us\": ").append(fixed(net.batch1TwoThreadsMicros(), 2)).append(",\n");
        sb.append("  \"net_b1_p50_us\": ").append(fixed(net.batch1P50Micros(), 2)).append(",\n");
        sb.append("  \"net_b1_p99_us\": ").append(fixed(net.batch1P99Micros(), 2)).append(",\n");
        sb.append("  \"net_b1_cpu_us\": ").append(fixed(net.batch1CpuMicros(), 2)).append(",\n");
        sb.append("  \"net_b1_kernel_us\": ").append(fixed(net.batch1KernelMicros(), 2)).append(",\n");
        sb.append("  \"net_b1_kernel_fraction\": ").append(fixed(net.kernelFraction(), 4)).append(",\n");
        sb.append("  \"net_b256_samples_per_s\": ").append(Math.round(net.batch256SamplesPerSecond())).append("\n");
        return sb.append("}\n").toString();
    }

    public void printTable(PrintStream out) {
        out.printf(Locale.ROOT, "JDK %s, %d cores, load average %.2f at start%n", jdk, cores, loadAverage);
        out.println(kernelDescription);
        out.println();
        out.printf(Locale.ROOT, "forward kernel, elements per second of %s (median of %d interleaved rounds)%n",
                clock, rounds);
        out.printf(Locale.ROOT, "  %-16s %10s %10s %10s  %s%n", "(B, N, M)", "scalar", "vector", "speed-up",
                "(range over rounds)");
        for (KernelBench.Result r : shapes) {
            out.printf(Locale.ROOT, "  %-16s %8.3f G %8.3f G %9.2fx  (%.2f-%.2f)%n", r.shape(),
                    r.scalarElementsPerSecond() / 1e9, r.vectorElementsPerSecond() / 1e9, r.speedup(),
                    r.speedupMin(), r.speedupMax());
        }
        out.println();
        out.printf(Locale.ROOT, "network %s, one thread, %s kernel, reused workspace%n", network, kernel);
        out.printf(Locale.ROOT, "  batch 1 latency:  mean %.1f us, median %.1f us, p99 %.1f us (wall clock)%n",
                net.batch1MeanMicros(), net.batch1P50Micros(), net.batch1P99Micros());
        out.printf(Locale.ROOT, "  batch 1 latency with 2 threads: mean %.1f us (newWorkspace(1, 2); %.2fx one thread)%n",
                net.batch1TwoThreadsMicros(), net.batch1MeanMicros() / net.batch1TwoThreadsMicros());
        out.printf(Locale.ROOT, "  batch 1 cost:     %.1f us per call, layer kernels alone %.1f us (%s)%n",
                net.batch1CpuMicros(), net.batch1KernelMicros(), clock);
        if (net.overhead() > 0) {
            out.printf(Locale.ROOT, "                    %.1f %% of the time is spent outside the kernels%n",
                    100 * net.overhead());
        } else {
            // the kernels called directly can come out slower: the JIT compiles the two callers differently
            out.printf(Locale.ROOT, "                    no overhead outside the kernels measurable"
                    + " (the network took %.2fx the kernels' own time)%n", 1 / net.kernelFraction());
        }
        out.printf(Locale.ROOT, "  batch 256:        %.0f samples/s (%s)%n", net.batch256SamplesPerSecond(), clock);
    }

    private static String fixed(double v, int decimals) {
        return String.format(Locale.ROOT, "%." + decimals + "f", v);
    }
}
