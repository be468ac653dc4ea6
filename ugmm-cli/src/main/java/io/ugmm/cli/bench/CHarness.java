package io.ugmm.cli.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs the hand-written C AVX-512 kernel of {@code perf-c/} ({@code ugmm_bench B N M ...}) and reads its
 * {@code RESULT c_limit B=.. N=.. M=.. X Gelem/s} lines: the best accurate C variant per shape, the speed the
 * Java vector kernel is compared with.
 */
public final class CHarness {
    private static final Pattern RESULT = Pattern.compile(
            "RESULT c_limit B=(\\d+) N=(\\d+) M=(\\d+) ([0-9.]+) Gelem/s");

    private CHarness() {
    }

    /**
     * @return elements per second of the C kernel per shape
     * @throws IllegalArgumentException when the path is not an executable or prints no result
     */
    public static Map<Shape, Double> run(Path executable, List<Shape> shapes) throws IOException, InterruptedException {
        if (!Files.isRegularFile(executable) || !Files.isExecutable(executable)) {
            throw new IllegalArgumentException("--c-bench: " + executable + " is not an executable file; build it"
                    + " with `make` in a copy of perf-c/ (see its README)");
        }
        List<String> cmd = new ArrayList<>(List.of(executable.toString()));
        for (Shape s : shapes) {
            cmd.addAll(List.of(Integer.toString(s.rows()), Integer.toString(s.inputs()), Integer.toString(s.mixtures())));
        }
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        int status = p.waitFor();
        Map<Shape, Double> speeds = parse(out);
        if (status != 0 || speeds.isEmpty()) {
            throw new IllegalArgumentException("--c-bench: " + executable + " exited with " + status
                    + " and printed no RESULT c_limit line");
        }
        return speeds;
    }

    static Map<Shape, Double> parse(String output) {
        Map<Shape, Double> speeds = new HashMap<>();
        Matcher m = RESULT.matcher(output);
        while (m.find()) {
            speeds.put(new Shape(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)),
                    Integer.parseInt(m.group(3))), Double.parseDouble(m.group(4)) * 1e9);
        }
        return speeds;
    }
}
