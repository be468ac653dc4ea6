package io.ugmm.cli;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Entry point of the {@code ugmm} command line. Errors become one line {@code error: ...} on stderr
 * and a non-zero exit (1 for failures, 2 for usage mistakes); {@code --debug} adds the stack trace.
 */
public final class Main {

    /** Every sub-command, in the order {@code ugmm help} lists them. The first is the default. */
    static final List<Command> COMMANDS = List.of(
            new DemoCommand(),
            new InfoCommand(),
            new PredictCommand(),
            new ImputeCommand(),
            new DatasetsCommand(),
            new TrainCommand(),
            new EvalCommand(),
            new GmmCommand(),
            new MdnCommand(),
            new ServeCommand(),
            new BenchCommand());

    private Main() {
    }

    public static void main(String[] argv) {
        String encoding = System.getProperty("stdout.encoding", System.getProperty("sun.stdout.encoding"));
        java.nio.charset.Charset charset = encoding != null && java.nio.charset.Charset.isSupported(encoding)
                ? java.nio.charset.Charset.forName(encoding) : java.nio.charset.Charset.defaultCharset();
        PipeOutput out = PipeOutput.over(new java.io.FileOutputStream(java.io.FileDescriptor.out), charset);
        int code = run(argv, out, System.err);
        out.flush();
        System.exit(out.pipeClosed() ? PipeOutput.CLOSED_PIPE_EXIT : code);
    }

    /** Runs one command line; returns the exit code. Used by tests as well as {@link #main}. */
    public static int run(String[] argv, PrintStream out, PrintStream err) {
        int code = runCommand(argv, out, err);
        if (out.checkError()) {
            if (out instanceof PipeOutput pipe && pipe.pipeClosed()) {
                return PipeOutput.CLOSED_PIPE_EXIT; // the reader stopped reading (| head): end quietly
            }
            if (code == 0) {
                // PrintStream swallows write errors (a full disk): say so rather than exit 0
                err.println("error: could not write all output to standard output");
                return 1;
            }
        }
        return code;
    }

    private static int runCommand(String[] argv, PrintStream out, PrintStream err) {
        boolean debug = Arrays.asList(argv).contains("--debug");
        String[] rest = Arrays.stream(argv).filter(a -> !a.equals("--debug")).toArray(String[]::new);
        String name = rest.length == 0 ? COMMANDS.get(0).name() : rest[0];
        boolean help = name.equals("help") || name.equals("--help") || name.equals("-h");
        if (help && rest.length < 2) {
            printHelp(out);
            return 0;
        }
        String commandName = help ? rest[1] : name;
        Command command = COMMANDS.stream().filter(c -> c.name().equals(commandName)).findFirst().orElse(null);
        if (command == null) {
            Set<String> names = new HashSet<>();
            COMMANDS.forEach(c -> names.add(c.name()));
            String nearest = Args.nearest(commandName, names, Set.of());
            err.println("error: unknown command '" + commandName + "'"
                    + (nearest == null ? "" : " (did you mean '" + nearest + "'?)") + "; run 'ugmm help' for the list");
            return 2;
        }
        if (help || Arrays.stream(rest).skip(1).anyMatch(a -> a.equals("--help") || a.equals("-h"))) {
            printHelp(command, out);
            return 0;
        }
        try {
            Set<String> flags = new HashSet<>(command.flagOptions());
            Args args = Args.parse(name, rest, Math.min(1, rest.length), command.valuedOptions(), flags);
            if (!command.takesPositionalArguments() && !args.positional().isEmpty()) {
                throw new UsageException("'" + name + "' takes only --options, found '" + args.positional().get(0)
                        + "' (a value needs its option name, e.g. --model FILE)");
            }
            return command.run(args, out, err);
        } catch (UsageException e) {
            err.println("error: " + e.getMessage() + " (see 'ugmm help " + name + "')");
            return 2;
        } catch (Exception | Error e) {
            // an error thrown while a class initialises (e.g. a bad -Dugmm.simd) arrives wrapped
            Throwable shown = e instanceof ExceptionInInitializerError && e.getCause() != null ? e.getCause() : e;
            err.println("error: " + (shown.getMessage() == null ? shown.toString() : shown.getMessage()));
            if (debug) {
                e.printStackTrace(err);
            }
            return 1;
        }
    }

    /** {@code ugmm help NAME}: the command's summary and its options, sorted, one per line. */
    static void printHelp(Command command, PrintStream out) {
        out.println("usage: ugmm " + command.name() + " [OPTIONS] [--debug]");
        out.println();
        out.println(command.summary());
        out.println();
        List<String> names = new ArrayList<>(command.valuedOptions());
        names.addAll(command.flagOptions());
        Collections.sort(names);
        List<String> shown = new ArrayList<>();
        for (String option : names) {
            shown.add("--" + option + (command.valuedOptions().contains(option) ? " VALUE" : ""));
        }
        int width = shown.stream().mapToInt(String::length).max().orElse(0);
        for (int i = 0; i < names.size(); i++) {
            String text = command.optionHelp().getOrDefault(names.get(i), "");
            out.println(("  " + String.format("%-" + width + "s", shown.get(i)) + "  " + text).stripTrailing());
        }
        if (names.isEmpty()) {
            out.println("  (no options)");
        }
    }

    private static void printHelp(PrintStream out) {
        out.println("ugmm: Gaussian-mixture neural networks on the JVM");
        out.println();
        out.println("usage: ugmm COMMAND [OPTIONS] [--debug]");
        out.println();
        for (Command c : COMMANDS) {
            out.printf("  %-10s %s%n", c.name(), c.summary());
        }
        out.println();
        out.println("'ugmm' alone runs '" + COMMANDS.get(0).name() + "'. --debug prints stack traces on errors.");
        out.println("'ugmm help COMMAND' or 'ugmm COMMAND --help' lists a command's options.");
    }
}
