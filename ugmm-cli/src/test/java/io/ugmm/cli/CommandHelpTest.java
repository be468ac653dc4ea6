package io.ugmm.cli;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code ugmm help COMMAND} and {@code ugmm COMMAND --help}. */
class CommandHelpTest extends CliHarness {

    @Test
    void helpTrainListsEveryOptionSortedWithItsDefault() {
        assertEquals(0, run("help", "train"));
        String help = out();
        List<String> optionLines = help.lines().filter(l -> l.startsWith("  --")).toList();
        Command train = new TrainCommand();
        Set<String> all = new TreeSet<>(train.valuedOptions());
        all.addAll(train.flagOptions());
        List<String> listed = new ArrayList<>();
        for (String line : optionLines) {
            listed.add(line.trim().split(" ")[0].substring(2));
            assertTrue(line.contains("default") || line.contains("required"), line);
        }
        assertEquals(new ArrayList<>(all), listed, help);
        assertTrue(help.contains("--epochs VALUE"), help);
        assertTrue(help.contains("--json ") && !help.contains("--json VALUE"), help);

        assertEquals(0, run("train", "--help"));
        assertEquals(help, out());
        assertEquals(0, run("train", "--dataset", "iris", "-h"));
        assertEquals(help, out());
    }

    @Test
    void everyOptionOfEveryCommandIsDescribed() {
        for (Command c : Main.COMMANDS) {
            Set<String> all = new TreeSet<>(c.valuedOptions());
            all.addAll(c.flagOptions());
            assertEquals(all, new TreeSet<>(c.optionHelp().keySet()), c.name());
            assertEquals(0, run(c.name(), "--help"), c.name());
            assertTrue(out().startsWith("usage: ugmm " + c.name()), out());
        }
    }

    @Test
    void helpForAnUnknownCommandIsAUsageError() {
        assertEquals(2, run("help", "trian"));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("unknown command 'trian' (did you mean 'train'?)"), err.toString());
    }
}
