package io.ugmm.cli;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The main job a newcomer runs first: {@code ugmm} with no arguments. */
class DemoCommandTest {
    @Test
    void demoChecksTheKernelAndTrainsIrisToTheReferencesAccuracy() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(new String[] {"demo", "--seconds", "0.2"}, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        String text = out.toString(StandardCharsets.UTF_8);
        assertEquals(0, code, err.toString(StandardCharsets.UTF_8));
        Matcher layer = Pattern.compile("first layer: vector ([0-9.e+-]+)").matcher(text);
        assertTrue(layer.find(), text);
        assertTrue(Double.parseDouble(layer.group(1)) < 1e-5, "one layer, vector vs double: " + layer.group(1));
        Matcher accuracy = Pattern.compile("on iris \\(test part, 30 rows\\): accuracy ([0-9.]+)%").matcher(text);
        assertTrue(accuracy.find(), text);
        // 29 of 30 with the default seed 42; `ugmm train --dataset iris --seed S` gives 96.7-100 % for every seed
        // from 1 to 10 (98.0 % mean, README), so this is what the training reaches, not one lucky seed's figure
        assertTrue(Double.parseDouble(accuracy.group(1)) >= 96.0, "reloaded Iris model: " + accuracy.group(1) + "%");
    }
}
