package io.ugmm.cli;

import io.ugmm.datasets.Dataset;
import io.ugmm.datasets.DatasetInfo;
import io.ugmm.datasets.Datasets;
import io.ugmm.datasets.LoadedDataset;

import java.io.PrintStream;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * {@code ugmm datasets}: which named datasets this machine has, with row counts and where they were
 * found, or where we looked and the one command that installs them. {@code ugmm datasets SPEC} loads
 * one dataset (a named one or a user's {@code csv:PATH} / {@code idx:DIR}) and prints what it holds,
 * so a user can check their own files before training on them.
 */
final class DatasetsCommand implements Command {
    @Override
    public String name() {
        return "datasets";
    }

    @Override
    public String summary() {
        return "list the datasets on this machine; 'datasets SPEC' loads one and summarises it";
    }

    @Override
    public Set<String> valuedOptions() {
        return Set.of();
    }

    @Override
    public boolean takesPositionalArguments() {
        return true;
    }

    @Override
    public int run(Args args, PrintStream out, PrintStream err) {
        List<String> specs = args.positional();
        if (specs.size() > 1) {
            throw new UsageException("'datasets' takes at most one dataset, found " + specs.size() + ": " + specs);
        }
        if (specs.isEmpty()) {
            list(out);
        } else {
            describe(specs.get(0), out);
        }
        return 0;
    }

    private static void list(PrintStream out) {
        out.println("Datasets on this machine:");
        for (DatasetInfo info : Datasets.available()) {
            out.println();
            out.println(String.format("  %-14s %-8s %s", info.name(), info.status().name().toLowerCase(Locale.ROOT),
                    info.rows()).stripTrailing());
            out.printf("  %-14s %s%n", "", info.description());
            switch (info.status()) {
                case READY:
                    out.printf("  %-14s source: %s%n", "", info.where());
                    break;
                case MISSING:
                    out.printf("  %-14s %s%n", "", info.where());
                    out.printf("  %-14s get it with: %s%n", "", info.howToGet());
                    break;
                default:
                    out.printf("  %-14s found in %s but unreadable: %s%n", "", info.where(), info.problem());
                    out.printf("  %-14s reinstall with: %s%n", "", info.howToGet());
                    break;
            }
        }
        out.println();
        out.println("Dataset specs (named datasets, other directories, your own files):");
        for (String form : Datasets.SPEC_FORMS) {
            out.println("  " + form);
        }
        out.println();
        out.println("'ugmm datasets SPEC' loads one and prints its rows, features and classes.");
    }

    private static void describe(String spec, PrintStream out) {
        long start = System.nanoTime();
        LoadedDataset loaded = Datasets.load(spec);
        double seconds = (System.nanoTime() - start) / 1e9;
        out.printf("%s (source: %s; read in %.2f s)%n", loaded.name(), loaded.source(), seconds);
        part("train", loaded.train(), out);
        loaded.test().ifPresentOrElse(test -> part("test", test, out),
                () -> out.println("  no test part: split it, e.g. Dataset.split(0.2, seed)"));
    }

    private static void part(String label, Dataset data, PrintStream out) {
        out.printf("  %-6s %d rows x %d features, values from %s to %s%n", label + ":", data.rows(), data.features(),
                data.minValue(), data.maxValue());
        out.printf("  %-6s %d classes: %s%n", "", data.classes(), data.labelHistogramText());
    }
}
