package io.ugmm.cli.bench;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The baseline reader and the comparison; nothing here times anything. */
class RegressionGateTest {
    private static final Shape BIG = new Shape(256, 784, 128);
    private static final Shape ODD = new Shape(33, 207, 13);

    private static final String BASELINE = """
            {
              "jdk": "17.0.15",
              "kernel": "vector",
              "vector_bits": 512,
              "shapes": [
                {"B": 256, "N": 784, "M": 128, "scalar_elements_per_s": 80000000, "speedup": 16.0},
                {"B": 33, "N": 207, "M": 13, "speedup": 4.0}
              ],
              "net_b1_latency_us": 55.1
            }
            """;

    private static KernelBench.Result result(Shape shape, double speedup) {
        return new KernelBench.Result(shape, 1e8, 1e8 * speedup, speedup, speedup, speedup);
    }

    private static RegressionGate.Verdict check(List<KernelBench.Result> results, double tolerance) {
        return RegressionGate.check(Baseline.parse(BASELINE, "baseline.json"), "17.0.15", 512, results, tolerance);
    }

    @Test
    void readsTheBenchJsonFormat() {
        Baseline b = Baseline.parse(BASELINE, "baseline.json");
        assertEquals("17.0.15", b.jdk());
        assertEquals(512, b.vectorBits());
        assertEquals(List.of(new Baseline.Expectation(BIG, 16.0), new Baseline.Expectation(ODD, 4.0)), b.expectations());
    }

    @Test
    void passesWithinTolerance() {
        // 16 * 0.75 = 12 is the lowest allowed; 12.01 passes
        RegressionGate.Verdict v = check(List.of(result(BIG, 12.01), result(ODD, 4.4)), 0.25);
        assertTrue(v.passed(), v.lines().toString());
        assertEquals(2, v.passes().size());
        assertTrue(v.notes().isEmpty(), v.notes().toString());
    }

    @Test
    void failsBelowToleranceWithOneClearLinePerShape() {
        RegressionGate.Verdict v = check(List.of(result(BIG, 11.9), result(ODD, 1.5)), 0.25);
        assertFalse(v.passed());
        assertEquals(List.of(
                "FAIL (256, 784, 128): vector/scalar speed-up 11.90x, expected 16.00x (baseline) minus 25 % tolerance = at least 12.00x",
                "FAIL (33, 207, 13): vector/scalar speed-up 1.50x, expected 4.00x (baseline) minus 25 % tolerance = at least 3.00x"),
                v.failures());
    }

    @Test
    void toleranceIsAParameter() {
        assertTrue(check(List.of(result(BIG, 9), result(ODD, 4)), 0.5).passed());
        assertFalse(check(List.of(result(BIG, 15), result(ODD, 4)), 0.05).passed());
        assertThrows(IllegalArgumentException.class, () -> check(List.of(), 0));
        assertThrows(IllegalArgumentException.class, () -> check(List.of(), 25));
    }

    @Test
    void aShapeTheRunDidNotMeasureFails() {
        RegressionGate.Verdict v = check(List.of(result(BIG, 16)), 0.25);
        assertFalse(v.passed());
        assertEquals(List.of("FAIL (33, 207, 13): in the baseline (speed-up 4.00x) but not measured by this run"),
                v.failures());
    }

    @Test
    void extraShapesAndBigGainsAreNotesNotFailures() {
        RegressionGate.Verdict v = check(List.of(result(BIG, 30), result(ODD, 4), result(new Shape(1, 2, 3), 2)), 0.25);
        assertTrue(v.passed());
        assertEquals(2, v.notes().size(), v.notes().toString());
        assertTrue(v.notes().get(0).contains("88 % faster"), v.notes().get(0));
        assertTrue(v.notes().get(1).contains("(1, 2, 3)"), v.notes().get(1));
    }

    @Test
    void notesADifferentJdkOrVectorWidth() {
        Baseline b = Baseline.parse(BASELINE, "baseline.json");
        RegressionGate.Verdict v = RegressionGate.check(b, "25.0.1", 256,
                List.of(result(BIG, 16), result(ODD, 4)), 0.25);
        assertTrue(v.passed());
        assertEquals(2, v.notes().size(), v.notes().toString());
        assertTrue(v.notes().get(0).contains("JDK 17.0.15") && v.notes().get(0).contains("JDK 25.0.1"));
        assertTrue(v.notes().get(1).contains("512-bit") && v.notes().get(1).contains("256-bit"));
    }

    @Test
    void badBaselinesSayWhatAndWhere() {
        assertMessage("b.json: not valid JSON: unexpected character '[', expected ':' at character 10", "{\"shapes\" [] }");
        assertMessage("b.json: expected a non-empty \"shapes\" array", "{\"shapes\": []}");
        assertMessage("b.json: expected a JSON object at the top level", "[1, 2]");
        assertMessage("b.json: shapes[0]: expected a number \"speedup\", found none",
                "{\"shapes\": [{\"B\": 1, \"N\": 2, \"M\": 3}]}");
        assertMessage("b.json: shapes[0]: \"speedup\" must be a positive number, found -2.0",
                "{\"shapes\": [{\"B\": 1, \"N\": 2, \"M\": 3, \"speedup\": -2}]}");
        assertMessage("b.json: shapes[0]: \"B\" must be a whole number, found 1.5",
                "{\"shapes\": [{\"B\": 1.5, \"N\": 2, \"M\": 3, \"speedup\": 2}]}");
        assertMessage("b.json: shapes[0]: expected a number \"N\", found 2",
                "{\"shapes\": [{\"B\": 1, \"N\": \"2\", \"M\": 3, \"speedup\": 2}]}");
        assertMessage("b.json: shapes[0]: a shape needs B, N, M >= 1, found (0, 2, 3)",
                "{\"shapes\": [{\"B\": 0, \"N\": 2, \"M\": 3, \"speedup\": 2}]}");
        assertMessage("b.json: shapes[1]: shape (1, 2, 3) is listed twice",
                "{\"shapes\": [{\"B\": 1, \"N\": 2, \"M\": 3, \"speedup\": 2}, {\"B\": 1, \"N\": 2, \"M\": 3, \"speedup\": 3}]}");
    }

    @Test
    void jdkFeatureVersions() {
        assertEquals(17, RegressionGate.feature("17.0.15"));
        assertEquals(25, RegressionGate.feature("25"));
        assertEquals(25, RegressionGate.feature("25-ea"));
        assertEquals(8, RegressionGate.feature("1.8.0_402"));
    }

    @Test
    void reportJsonIsABaseline() {
        BenchReport report = new BenchReport("17.0.15", "vector", "ugmm kernel: vector", 512, 2, 1.5, "thread CPU time", 9,
                List.of(result(BIG, 16), result(ODD, 4)), "784 -> 128 -> 64 -> 10",
                new NetworkTiming.Result(60, 55, 110, 54, 53, 0.98, 20000, 35));
        Baseline b = Baseline.parse(report.toJson(), "report");
        assertEquals(List.of(new Baseline.Expectation(BIG, 16.0), new Baseline.Expectation(ODD, 4.0)), b.expectations());
        assertEquals(60.0 / 35, b.twoThreadSpeedup(), 1e-12);
        assertTrue(RegressionGate.check(b, "17.0.15", 512, List.of(result(BIG, 16), result(ODD, 4)), 60.0 / 35,
                0.25).passed());
    }

    @Test
    void twoThreadBatch1SpeedupIsGatedAsARatioOfTheSameRun() {
        Baseline b = Baseline.parse(BASELINE.replace("\"net_b1_latency_us\": 55.1",
                "\"net_b1_latency_us\": 30.0, \"net_b1_2threads_latency_us\": 20.0"), "baseline.json");
        assertEquals(1.5, b.twoThreadSpeedup(), 1e-12);
        List<KernelBench.Result> kernels = List.of(result(BIG, 16), result(ODD, 4));
        // 1.5 * 0.75 = 1.125 is the lowest allowed
        RegressionGate.Verdict ok = RegressionGate.check(b, "17.0.15", 512, kernels, 1.13, 0.25);
        assertTrue(ok.passed(), ok.lines().toString());
        assertTrue(ok.passes().contains(
                "ok   batch-1 latency with 2 threads: 1.13x one thread's, baseline 1.50x, at least 1.13x allowed"),
                ok.passes().toString());
        RegressionGate.Verdict slow = RegressionGate.check(b, "17.0.15", 512, kernels, 0.9, 0.25);
        assertEquals(List.of("FAIL batch-1 latency with 2 threads: 0.90x one thread's, expected 1.50x one thread's"
                + " (baseline) minus 25 % tolerance = at least 1.13x"), slow.failures());
        RegressionGate.Verdict missing = RegressionGate.check(b, "17.0.15", 512, kernels, 0.25);
        assertFalse(missing.passed());
        assertTrue(missing.failures().get(0).contains("not measured by this run"), missing.failures().toString());
        // a baseline without the two-thread line checks the kernels only
        assertTrue(check(kernels, 0.25).passed());
        assertMessage("b.json: batch-1 latencies must be positive numbers, found 30.0 and 0.0 us",
                "{\"shapes\": [{\"B\": 1, \"N\": 2, \"M\": 3, \"speedup\": 2}],"
                        + " \"net_b1_latency_us\": 30, \"net_b1_2threads_latency_us\": 0}");
    }

    @Test
    void twoThreadShortfallOnALoadedMachineIsSkippedAndOnAQuietOneFails() {
        Baseline b = Baseline.parse(BASELINE.replace("\"net_b1_latency_us\": 55.1",
                "\"net_b1_latency_us\": 30.0, \"net_b1_2threads_latency_us\": 17.0"), "baseline.json");
        List<KernelBench.Result> kernels = List.of(result(BIG, 16), result(ODD, 4));
        // a real regression (the worker no longer helps: two threads as slow as one) on a quiet machine fails
        RegressionGate.Verdict quiet = RegressionGate.check(b, "17.0.15", 512, kernels,
                new RegressionGate.TwoThreads(1.0, 1.2, 2), 0.25);
        assertEquals(List.of("FAIL batch-1 latency with 2 threads: 1.00x one thread's, expected 1.76x one thread's"
                + " (baseline) minus 25 % tolerance = at least 1.32x"), quiet.failures());
        // the same shortfall, the cores busy with other work (as measured: 17 us became 870 us): skipped, passes
        RegressionGate.Verdict loaded = RegressionGate.check(b, "17.0.15", 512, kernels,
                new RegressionGate.TwoThreads(0.04, 7.5, 2), 0.25);
        assertTrue(loaded.passed(), loaded.lines().toString());
        assertEquals(List.of("skip batch-1 latency with 2 threads: 0.04x one thread's, not checked: machine loaded"
                + " (load 7.50 on 2 cores; the check needs a core free for the second thread, a load below 2)"),
                loaded.notes());
        // the threshold is the number of cores: just below it the check applies
        assertFalse(RegressionGate.check(b, "17.0.15", 512, kernels,
                new RegressionGate.TwoThreads(1.0, 1.99, 2), 0.25).passed());
        assertTrue(RegressionGate.check(b, "17.0.15", 512, kernels,
                new RegressionGate.TwoThreads(1.0, 2.0, 2), 0.25).passed());
        assertFalse(RegressionGate.check(b, "17.0.15", 512, kernels,
                new RegressionGate.TwoThreads(1.0, 7.9, 8), 0.25).passed());
        // a loaded machine that still meets the baseline passes the check (that is evidence)
        RegressionGate.Verdict stillFast = RegressionGate.check(b, "17.0.15", 512, kernels,
                new RegressionGate.TwoThreads(1.7, 6, 2), 0.25);
        assertTrue(stillFast.passes().contains(
                "ok   batch-1 latency with 2 threads: 1.70x one thread's, baseline 1.76x, at least 1.32x allowed"),
                stillFast.lines().toString());
        // unknown load (no load average on this platform) or an unmeasured figure: the check applies
        assertFalse(RegressionGate.check(b, "17.0.15", 512, kernels,
                new RegressionGate.TwoThreads(0.5, -1, 2), 0.25).passed());
        assertFalse(RegressionGate.check(b, "17.0.15", 512, kernels,
                new RegressionGate.TwoThreads(Double.NaN, 7.5, 2), 0.25).passed());
        // the kernel lines are never skipped for load: they are same-thread ratios of interleaved rounds
        assertFalse(RegressionGate.check(b, "17.0.15", 512, List.of(result(BIG, 8), result(ODD, 4)),
                new RegressionGate.TwoThreads(1.7, 7.5, 2), 0.25).passed());
    }

    @Test
    void committedBaselinesParse() throws java.io.IOException {
        // surefire runs in the module directory; the baselines live at the repository root
        for (String name : new String[] {"baseline.json", "baseline-jdk25.json"}) {
            java.nio.file.Path file = java.nio.file.Path.of("..", "bench", name);
            Baseline b = Baseline.parse(java.nio.file.Files.readString(file), file.toString());
            assertEquals(Shape.STANDARD, b.expectations().stream().map(Baseline.Expectation::shape).toList(), name);
            assertEquals(512, b.vectorBits(), name);
            // measured with the second core free (on a busy machine two threads are slower than one)
            assertTrue(b.twoThreadSpeedup() > 1, name + ": two-thread batch-1 speed-up " + b.twoThreadSpeedup());
        }
    }

    private static void assertMessage(String expected, String json) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Baseline.parse(json, "b.json"));
        assertEquals(expected, e.getMessage());
    }
}
