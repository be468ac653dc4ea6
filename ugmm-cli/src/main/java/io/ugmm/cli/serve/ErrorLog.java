package io.ugmm.cli.serve;

import java.io.PrintStream;
import java.util.EnumMap;
import java.util.Map;

/**
 * One line per error on the log, never one per request: a server fault or reload is always logged; a
 * client's mistake is logged at most once per {@value #QUIET_MILLIS} ms per kind, with how many were
 * left out, so a flood of bad requests cannot flood the log (metrics count every one).
 */
final class ErrorLog {
    static final long QUIET_MILLIS = 10_000;
    private final PrintStream out;
    private final Map<ErrorKind, long[]> lastAndSkipped = new EnumMap<>(ErrorKind.class);

    ErrorLog(PrintStream out) {
        this.out = out;
    }

    synchronized void serverError(String message) {
        out.println("ugmm serve: error: " + message);
        out.flush();
    }

    synchronized void info(String message) {
        out.println("ugmm serve: " + message);
        out.flush();
    }

    synchronized void clientError(ErrorKind kind, int status, String message) {
        long now = System.currentTimeMillis();
        long[] state = lastAndSkipped.computeIfAbsent(kind, k -> new long[] {Long.MIN_VALUE / 2, 0});
        if (now - state[0] < QUIET_MILLIS) {
            state[1]++;
            return;
        }
        String skipped = state[1] == 0 ? "" : " (and " + state[1] + " more " + kind.label() + " since the last line)";
        out.println("ugmm serve: refused a request (" + status + " " + kind.label() + "): " + message + skipped);
        out.flush();
        state[0] = now;
        state[1] = 0;
    }
}
