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
                if (args.values.containsKey(name)) {
                    throw new UsageException("--" + name + " is given twice");
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
                    String nearest = nearest(name, valued, flags);
                    throw new UsageException("'" + command + "' has no option --" + name
                            + (nearest == null ? "" : " (did you mean --" + nearest + "?)")
                            + "; options: " + describe(valued, flags));
                }
            } else {
                args.positional.add(a);
            }
        }
        return args;
    }

    /** Every option, sorted by name. */
    private static String describe(Set<String> valued, Set<String> flags) {
        java.util.TreeMap<String, String> all = new java.util.TreeMap<>();
        valued.forEach(v -> all.put(v, "--" + v + " VALUE"));
        flags.forEach(f -> all.put(f, "--" + f));
        return all.isEmpty() ? "(none)" : String.join(", ", all.values());
    }

    /** The declared option closest to a misspelt {@code name} (at most 2 edits, or a prefix), or null. */
    static String nearest(String name, Set<String> valued, Set<String> flags) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String option : new java.util.TreeSet<>(union(valued, flags))) {
            int d = option.startsWith(name) && !name.isEmpty() ? 1 : editDistance(name, option);
            if (d < bestDistance) {
                best = option;
                bestDistance = d;
            }
        }
        return bestDistance <= Math.min(2, Math.max(1, name.length() / 2)) ? best : null;
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        Set<String> all = new java.util.HashSet<>(a);
        all.addAll(b);
        return all;
    }

    /** Levenshtein distance (two rows; option names are short). */
    private static int editDistance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitute = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitute, Math.min(previous[j], current[j - 1]) + 1);
            }
            int[] t = previous;
            previous = current;
            current = t;
        }
        return previous[b.length()];
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
