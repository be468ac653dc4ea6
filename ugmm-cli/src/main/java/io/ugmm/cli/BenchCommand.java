package io.ugmm.cli;

import io.ugmm.cli.bench.BenchReport;
import io.ugmm.cli.bench.Baseline;
import io.ugmm.cli.bench.KernelBench;
import io.ugmm.cli.bench.NetworkTiming;
import io.ugmm.cli.bench.RegressionGate;
import io.ugmm.cli.bench.RoundTimer;
import io.ugmm.cli.bench.Shape;
import io.ugmm.model.UgmmNetwork;
import io.ugmm.model.io.AtomicFileWriter;
import io.ugmm.simd.MixtureKernel;
import io.ugmm.simd.MixtureKernels;

import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
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
        return Set.of("json", "check", "tolerance", "rounds");
    }

    @Override
    public Map<String, String> optionHelp() {
        return Map.ofEntries(
                Map.entry("json", "FILE: save the figures as JSON (default: none)"),
                Map.entry("check", "BASELINE: compare the speed-ups with a saved --json file; exit 3 on a regression (default: none)"),
                Map.entry("tolerance", "allowed slowdown against --check, as a fraction (default 0.25)"),
                Map.entry("rounds", "timed rounds per measurement, 1 to 1000 (default 9)"));
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
        UgmmNetwork net = NetworkTiming.mnistShaped(SEED);
        err.println("bench: network " + net.architecture() + "...");
        NetworkTiming.Result netResult = new NetworkTiming(net, ROUND_NANOS, rounds, SEED).measure();

        BenchReport report = new BenchReport(System.getProperty("java.version"), net.kernel().name(),
                MixtureKernels.describe(), vector.vectorBits(), Runtime.getRuntime().availableProcessors(), load,
                RoundTimer.clockName(), rounds, results, net.architecture(), netResult);
        report.printTable(out);
        if (args.has("json")) {
            Path path = Path.of(args.require("json"));
            AtomicFileWriter.write(path, stream -> stream.write(report.toJson().getBytes(StandardCharsets.UTF_8)));
            out.println();
            out.println("wrote " + path);
        }
        if (baseline == null) {
            return 0;
        }
        RegressionGate.Verdict verdict = RegressionGate.check(baseline, report.jdk(), report.vectorBits(),
                results, tolerance);
        out.println();
        out.printf("regression check against %s (tolerance %.0f %%):%n", baseline.source(), 100 * tolerance);
        verdict.lines().forEach(line -> out.println("  " + line));
        if (!verdict.passed()) {
            err.println("bench: " + verdict.failures().size() + " shape(s) below the baseline speed-up");
            return REGRESSION_EXIT;
        }
        return 0;
    }
}
