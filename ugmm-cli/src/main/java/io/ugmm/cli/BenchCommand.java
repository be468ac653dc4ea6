package io.ugmm.cli;

import io.ugmm.cli.bench.BenchReport;
import io.ugmm.cli.bench.CHarness;
import io.ugmm.cli.bench.JvmStarts;
import io.ugmm.cli.bench.Baseline;
import io.ugmm.cli.bench.KernelBench;
import io.ugmm.cli.bench.NetworkTiming;
import io.ugmm.cli.bench.RegressionGate;
import io.ugmm.cli.bench.RoundTimer;
import io.ugmm.cli.bench.Shape;
import io.ugmm.cli.bench.TrainingStepTiming;
import io.ugmm.model.UgmmNetwork;
import io.ugmm.model.internal.AtomicFileWriter;
import io.ugmm.simd.MixtureKernel;
import io.ugmm.simd.MixtureKernels;

import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * {@code ugmm bench}: a quick self-contained benchmark (about 20 s) of the forward kernel, scalar against
 * vector, and of the 784 -> 128 -> 64 -> 10 network; {@code --json} saves the figures, {@code --check}
 * compares the speed-ups with a saved baseline and exits with {@value #REGRESSION_EXIT} on a regression.
 * For careful numbers use the JMH benchmarks (jmh/README.md).
 */
final class BenchCommand implements Command {
    static final int REGRESSION_EXIT = 3;
    private static final long ROUND_NANOS = 100_000_000L;
    private static final int DEFAULT_ROUNDS = 9;
    private static final long SEED = 42;

    @Override
    public String name() {
        return "bench";
    }

    @Override
    public String summary() {
        return "quick benchmark: kernels scalar vs vector, network latency; --json FILE, --check BASELINE";
    }

    @Override
    public Set<String> valuedOptions() {
        return Set.of("json", "check", "tolerance", "rounds", "starts", "c-bench");
    }

    @Override
    public Map<String, String> optionHelp() {
        return Map.ofEntries(
                Map.entry("json", "FILE: save the figures as JSON (default: none)"),
                Map.entry("check", "BASELINE: compare the speed-ups with a saved --json file; exit 3 on a regression (default: none)"),
                Map.entry("tolerance", "allowed slowdown against --check, as a fraction (default 0.25)"),
                Map.entry("rounds", "timed rounds per measurement, 1 to 1000 (default 9)"),
                Map.entry("starts", "JVM starts the kernel speed-ups are measured in, 1 to 20; the JIT decides"
                        + " differently in each, --check then gates the slowest (default 1)"),
                Map.entry("c-bench", "PATH: the C kernel harness of perf-c/ (ugmm_bench), built; prints the vector"
                        + " kernel's speed as a ratio of it (default: none)"));
    }

    @Override
    public int run(Args args, PrintStream out, PrintStream err) throws Exception {
        int rounds = args.getInt("rounds", DEFAULT_ROUNDS);
        if (rounds < 1 || rounds > 1000) {
            throw new UsageException("--rounds must be between 1 and 1000, found " + rounds);
        }
        double tolerance = args.getDouble("tolerance", RegressionGate.DEFAULT_TOLERANCE);
        if (!(tolerance > 0 && tolerance < 1)) {
            throw new UsageException("--tolerance is a fraction in (0, 1), e.g. 0.25 for 25 %; found " + tolerance);
        }
        int starts = args.getInt("starts", 1);
        if (starts < 1 || starts > 20) {
            throw new UsageException("--starts must be between 1 and 20, found " + starts);
        }
        Path cBench = args.has("c-bench") ? Path.of(args.require("c-bench")) : null;
        if (cBench != null && !Files.isExecutable(cBench)) {
            throw new UsageException("--c-bench: " + cBench + " is not an executable file; build perf-c/ first"
                    + " (its README: copy it to a temporary directory and run make)");
        }
        if (args.has("tolerance") && !args.has("check")) {
            throw new UsageException("--tolerance only applies with --check BASELINE");
        }
        if (args.has("json")) {
            // like every other command's output file: a missing directory is refused before the run, not created
            AtomicFileWriter.checkWritable(Path.of(args.require("json")));
        }
        // read the baseline first: a bad file should fail before a 20-second run, not after
        Baseline baseline = null;
        if (args.has("check")) {
            Path path = Path.of(args.require("check"));
            if (!Files.isRegularFile(path)) {
                throw new UsageException("--check: no baseline file " + path);
            }
            baseline = Baseline.parse(Files.readString(path, StandardCharsets.UTF_8), path.toString());
        }
        MixtureKernel vector = MixtureKernels.vector().orElseThrow(() -> new IllegalStateException(
                "bench compares the scalar and vector kernels, but the vector kernel is unavailable: "
                        + MixtureKernels.vectorUnavailableReason()));
        double load = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();

        KernelBench kernels = new KernelBench(MixtureKernels.scalar(), vector, ROUND_NANOS, rounds, SEED);
        err.println("bench: warming up...");
        kernels.warmUp(Shape.STANDARD);
        List<KernelBench.Result> results = new ArrayList<>();
        for (Shape shape : Shape.STANDARD) {
            err.println("bench: forward kernel at (B, N, M) = " + shape + "...");
            results.add(kernels.measure(shape));
        }
        List<KernelBench.Result> gated = results;
        List<JvmStarts.Start> more = List.of();
        if (starts > 1) {
            err.println("bench: forward kernel in " + (starts - 1) + " more JVM start(s)...");
            more = JvmStarts.run(starts - 1, rounds, ROUND_NANOS, SEED);
            gated = slowestStart(results, more);
        }
        Map<Shape, Double> cSpeeds = Map.of();
        if (cBench != null) {
            err.println("bench: C kernel " + cBench + "...");
            cSpeeds = CHarness.run(cBench, Shape.STANDARD);
        }
        UgmmNetwork net = NetworkTiming.mnistShaped(SEED);
        err.println("bench: network " + net.architecture() + "...");
        NetworkTiming.Result netResult = new NetworkTiming(net, ROUND_NANOS, rounds, SEED).measure();
        // the load average trails by a minute: the higher of the start's and this one's covers the timing
        double loadAfterNet = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        err.println("bench: training step against a forward pass...");
        TrainingStepTiming.Result step = TrainingStepTiming.measure(net, ROUND_NANOS, rounds, SEED);

        BenchReport report = new BenchReport(System.getProperty("java.version"), net.kernel().name(),
                MixtureKernels.describe(), vector.vectorBits(), Runtime.getRuntime().availableProcessors(), load,
                RoundTimer.clockName(), rounds, results, net.architecture(), netResult);
        report.printTable(out);
        step.print(out);
        printStarts(out, results, more);
        printRatiosToC(out, results, cSpeeds);
        if (args.has("json")) {
            Path path = Path.of(args.require("json"));
            AtomicFileWriter.write(path, stream -> stream.write(step.addTo(report.toJson()).getBytes(StandardCharsets.UTF_8)));
            out.println();
            out.println("wrote " + path);
        }
        if (baseline == null) {
            return 0;
        }
        RegressionGate.Verdict verdict = RegressionGate.check(baseline, report.jdk(), report.vectorBits(),
                gated, new RegressionGate.TwoThreads(netResult.batch1MeanMicros() / netResult.batch1TwoThreadsMicros(),
                        Math.max(load, loadAfterNet), report.cores()), tolerance);
        out.println();
        out.printf("regression check against %s (tolerance %.0f %%%s):%n", baseline.source(), 100 * tolerance,
                starts > 1 ? ", slowest of " + starts + " JVM starts" : "");
        verdict.lines().forEach(line -> out.println("  " + line));
        if (!verdict.passed()) {
            err.println("bench: " + verdict.failures().size() + " check(s) below the baseline speed-up");
            return REGRESSION_EXIT;
        }
        return 0;
    }

    /** Per shape, the result of the start with the lowest speed-up (this JVM's, or a child's). */
    private static List<KernelBench.Result> slowestStart(List<KernelBench.Result> here, List<JvmStarts.Start> more) {
        List<KernelBench.Result> slowest = new ArrayList<>();
        for (int i = 0; i < here.size(); i++) {
            KernelBench.Result r = here.get(i);
            double lowest = r.speedup();
            for (JvmStarts.Start s : more) {
                lowest = Math.min(lowest, s.speedups().get(i));
            }
            slowest.add(new KernelBench.Result(r.shape(), r.scalarElementsPerSecond(), r.vectorElementsPerSecond(),
                    lowest, Math.min(lowest, r.speedupMin()), r.speedupMax()));
        }
        return slowest;
    }

    private static void printStarts(PrintStream out, List<KernelBench.Result> here, List<JvmStarts.Start> more) {
        out.println();
        if (more.isEmpty()) {
            out.println("kernel speed-ups from 1 JVM start (the JIT decides differently in each start;"
                    + " --starts N measures N)");
            return;
        }
        out.printf(Locale.ROOT, "forward kernel speed-up in each of %d JVM starts (vector G elements/s)%n",
                more.size() + 1);
        for (int i = 0; i < here.size(); i++) {
            KernelBench.Result r = here.get(i);
            StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "  %-16s %6.2fx (%.2f G)",
                    r.shape(), r.speedup(), r.vectorElementsPerSecond() / 1e9));
            double lowest = r.speedup();
            double highest = r.speedup();
            for (JvmStarts.Start s : more) {
                double v = s.speedups().get(i);
                lowest = Math.min(lowest, v);
                highest = Math.max(highest, v);
                line.append(String.format(Locale.ROOT, " %6.2fx (%.2f G)", v, s.vectorElementsPerSecond().get(i) / 1e9));
            }
            line.append(String.format(Locale.ROOT, "   slowest start %.0f %% below the fastest",
                    100 * (1 - lowest / highest)));
            out.println(line);
        }
    }

    private static void printRatiosToC(PrintStream out, List<KernelBench.Result> here, Map<Shape, Double> c) {
        if (c.isEmpty()) {
            return;
        }
        out.println();
        out.println("vector kernel against the C AVX-512 kernel (--c-bench; C timed just after, by its own clock)");
        for (KernelBench.Result r : here) {
            Double cSpeed = c.get(r.shape());
            if (cSpeed != null) {
                out.printf(Locale.ROOT, "  %-16s Java %.3f G, C %.3f G: %.2f of C%n", r.shape(),
                        r.vectorElementsPerSecond() / 1e9, cSpeed / 1e9, r.vectorElementsPerSecond() / cSpeed);
            }
        }
    }
}
