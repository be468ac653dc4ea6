package io.ugmm.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Parsed {@code --name value} and {@code --flag} options of one sub-command. Options a command does not
 * declare are an error, so a typo never silently falls back to a default.
 */
final class Args {
    static final int THREADS_PER_CORE = 8;
    private final String command;
    private final Map<String, String> values = new LinkedHashMap<>();
    private final List<String> positional = new ArrayList<>();

    private Args(String command) {
        this.command = command;
    }

    /**
     * @param valued option names (without dashes) that take a value
     * @param flags  option names that take none
     */
    static Args parse(String command, String[] argv, int from, Set<String> valued, Set<String> flags) {
        Args args = new Args(command);
        for (int i = from; i < argv.length; i++) {
            String a = argv[i];
            if (a.startsWith("--")) {
                String name = a.substring(2);
                String value = null;
                int eq = name.indexOf('=');
                if (eq >= 0) {
                    value = name.substring(eq + 1);
                    name = name.substring(0, eq);
                }
                if (flags.contains(name)) {
                    if (value != null) {
                        throw new UsageException("--" + name + " takes no value");
                    }
                    args.values.put(name, "true");
                } else if (valued.contains(name)) {
                    if (value == null) {
                        // "--out --epochs 1" is a forgotten value, not a file named --epochs
                        if (i + 1 >= argv.length || argv[i + 1].startsWith("--")) {
                            throw new UsageException("--" + name + " needs a value");
                        }
                        value = argv[++i];
                    }
                    args.values.put(name, value);
                } else {
                    throw new UsageException("'" + command + "' has no option --" + name
                            + "; options: " + describe(valued, flags));
                }
            } else {
                args.positional.add(a);
            }
        }
        return args;
    }

    private static String describe(Set<String> valued, Set<String> flags) {
        List<String> all = new ArrayList<>();
        valued.forEach(v -> all.add("--" + v + " VALUE"));
        flags.forEach(f -> all.add("--" + f));
        return all.isEmpty() ? "(none)" : String.join(", ", all);
    }

    boolean has(String name) {
        return values.containsKey(name);
    }

    String get(String name, String fallback) {
        return values.getOrDefault(name, fallback);
    }

    String require(String name) {
        String v = values.get(name);
        if (v == null) {
            throw new UsageException("'" + command + "' needs --" + name);
        }
        return v;
    }

    int getInt(String name, int fallback) {
        String v = values.get(name);
        if (v == null) {
            return fallback;
        }
        try {
            return Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            if (v.trim().matches("[+-]?[0-9]+")) {
                throw new UsageException("--" + name + " " + v.trim() + " is too large; at most " + Integer.MAX_VALUE);
            }
            throw new UsageException("--" + name + " expects a whole number, found '" + v + "'");
        }
    }

    /**
     * {@code --threads}: at least 1 and at most {@value #THREADS_PER_CORE} per available core, since more
     * threads than that cannot run at once and only add overhead.
     */
    int getThreads(int fallback) {
        int threads = getInt("threads", fallback);
        int cores = Runtime.getRuntime().availableProcessors();
        if (threads < 1) {
            throw new UsageException("--threads must be at least 1, found " + threads);
        }
        if (threads > THREADS_PER_CORE * cores) {
            throw new UsageException("--threads " + threads + " is more than " + THREADS_PER_CORE + " per core ("
                    + THREADS_PER_CORE * cores + " on this machine's " + cores + " cores); more threads than cores"
                    + " only slow the work down");
        }
        return threads;
    }

    double getDouble(String name, double fallback) {
        String v = values.get(name);
        if (v == null) {
            return fallback;
        }
        try {
            return Double.parseDouble(v.trim());
        } catch (NumberFormatException e) {
            throw new UsageException("--" + name + " expects a number, found '" + v + "'");
        }
    }

    List<String> positional() {
        return positional;
    }
}
