package io.ugmm.cli;

import java.io.PrintStream;
import java.util.Map;
import java.util.Set;

/** One sub-command of {@code ugmm}. Register new ones in {@link Main#COMMANDS}. */
interface Command {
    /** The word after {@code ugmm}, e.g. {@code predict}. */
    String name();

    /** One line for {@code ugmm help}. */
    String summary();

    /** Option names that take a value. */
    Set<String> valuedOptions();

    /** Option names that take none. */
    default Set<String> flagOptions() {
        return Set.of();
    }

    /**
     * A short description per option (name without dashes), ending with its default, for
     * {@code ugmm help NAME} and {@code ugmm NAME --help}. Options missing here are listed without one.
     */
    default Map<String, String> optionHelp() {
        return Map.of();
    }

    /** Whether words without {@code --} are allowed (e.g. dataset specs); refused otherwise. */
    default boolean takesPositionalArguments() {
        return false;
    }

    /** Runs the command; returns the process exit code. Throw {@link UsageException} for usage errors. */
    int run(Args args, PrintStream out, PrintStream err) throws Exception;
}
