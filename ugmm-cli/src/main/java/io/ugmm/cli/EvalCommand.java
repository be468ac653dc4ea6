package io.ugmm.cli;

import io.ugmm.datasets.Dataset;
import io.ugmm.datasets.DatasetException;
import io.ugmm.model.UgmmModel;
import io.ugmm.model.train.GenerativeObjective;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** {@code ugmm eval}: accuracy and mean log-likelihood of a saved model on a dataset's test part. */
final class EvalCommand implements Command {
    @Override
    public String name() {
        return "eval";
    }

    @Override
    public String summary() {
        return "evaluate a model: --model FILE [--dataset NAME] [--part test|train|all] -> accuracy, log-likelihood";
    }

    @Override
    public Set<String> valuedOptions() {
        return Set.of("model", "dataset", "part", "threads");
    }

    @Override
    public Set<String> flagOptions() {
        return Set.of("json");
    }

    @Override
    public Map<String, String> optionHelp() {
        return Map.ofEntries(
                Map.entry("model", "model file saved by ugmm train (required)"),
                Map.entry("dataset", "data to evaluate on, same forms as train --dataset (default: the dataset the model records)"),
                Map.entry("part", "test or train part of the split the model records, or all rows (default test)"),
                Map.entry("threads", "evaluation threads, at most 8 per core (default: all cores)"),
                Map.entry("json", "print one JSON result line on stdout; the other lines go to stderr (default off)"));
    }

    @Override
    public int run(Args args, PrintStream stdout, PrintStream err) throws Exception {
        // with --json, stdout is exactly the one JSON line; the human-readable lines go to stderr
        PrintStream out = args.has("json") ? err : stdout;
        Path file = Path.of(args.require("model"));
        String part = args.get("part", "test");
        int threads = args.getThreads(Runtime.getRuntime().availableProcessors());
        ModelStore.Loaded loaded = ModelStore.load(file, args.get("dataset", null));
        UgmmModel model = loaded.model();
        Dataset data;
        try {
            data = PreparedData.forEvaluation(loaded, part);
        } catch (DatasetException e) {
            String recorded = loaded.dataset();
            if (!args.has("dataset") && recorded.startsWith("csv:") && !Path.of(recorded.substring(4)).isAbsolute()) {
                // a relative path in the model is read from the current directory, not the model's
                throw new DatasetException(e.getMessage() + " (the model records the relative path '" + recorded
                        + "', read from the current directory; --dataset csv:PATH overrides it)", e);
            }
            throw e;
        }
        if (data.features() != model.inputCount()) {
            throw new UsageException(file + " expects " + model.inputCount() + " features per row but "
                    + loaded.dataset() + " gives " + data.features());
        }
        boolean generative = model.generative();
        long start = System.nanoTime();
        Evaluation e = Evaluation.of(model, data, threads);
        double seconds = (System.nanoTime() - start) / 1e9;
        out.printf(Locale.ROOT, "%s on %s (%s part, %s): accuracy %s%s, mean nll %.4f (%s)%n",
                file, loaded.dataset(), part, ProgressPrinter.count(e.rows(), "row", "rows"),
                ProgressPrinter.percent(e.accuracy()).trim(), generative ? " by MPE over the label" : "", e.nll(),
                !generative ? "minus log softmax of the true class"
                        : model.generativeObjective().orElseThrow() == GenerativeObjective.JOINT
                        ? "minus the root log-density at the true label"
                        : "minus log p(true class | row), the softmax of the root over the label states");
        if (args.has("json")) {
            stdout.println(JsonLine.of("command", "eval", "dataset", loaded.dataset(), "part", part,
                    "rows", e.rows(), "accuracy", e.accuracy(), "nll", e.nll(),
                    "epochs", model.metadata().epochs().orElse(-1), "seconds", seconds,
                    "samples_per_s", e.rows() / seconds));
        }
        return 0;
    }
}
