package io.ugmm.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Mistakes {@code ugmm bench} must report before it spends 20 seconds measuring; nothing here is timed. */
class BenchCommandTest extends CliHarness {

    @Test
    void listedInHelp() {
        assertEquals(0, run("help"));
        assertTrue(out.toString(StandardCharsets.UTF_8).contains("bench "), out.toString(StandardCharsets.UTF_8));
    }

    @Test
    void missingBaselineIsAUsageError() {
        assertEquals(2, run("bench", "--check", "no/such/baseline.json"));
        assertTrue(err().contains("no baseline file no/such/baseline.json"), err());
    }

    @Test
    void malformedBaselineFailsBeforeMeasuring(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("baseline.json");
        Files.writeString(file, "{\"shapes\": [{\"B\": 1, \"N\": 2, \"M\": 3}]}");
        assertEquals(1, run("bench", "--check", file.toString()));
        assertTrue(err().contains("shapes[0]: expected a number \"speedup\""), err());
        assertTrue(!err().contains("warming up"), err());
    }

    @Test
    void toleranceMustBeAFractionAndNeedsCheck() {
        assertEquals(2, run("bench", "--check", "x.json", "--tolerance", "25"));
        assertTrue(err().contains("--tolerance is a fraction in (0, 1)"), err());
        assertEquals(2, run("bench", "--tolerance", "0.3"));
        assertTrue(err().contains("--tolerance only applies with --check"), err());
    }

    @Test
    void rejectsStrayArgumentsAndBadRounds() {
        assertEquals(2, run("bench", "baseline.json"));
        assertTrue(err().contains("'bench' takes only --options, found 'baseline.json'"), err());
        assertEquals(2, run("bench", "--rounds", "0"));
        assertTrue(err().contains("--rounds must be between 1 and 1000"), err());
    }
}
