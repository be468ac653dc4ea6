package io.ugmm.cli.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;

/**
 * Times short rounds of repeated calls. Rounds are sized by time, not by count, because the kernels
 * differ a hundredfold in speed: a round runs whole calls until at least its duration of wall-clock time
 * has passed (so a slow call is never cut short, and one call is the least a round can be).
 *
 * <p>The cost of a round is the CPU time of the calling thread when the JVM can read it (HotSpot on
 * Linux, macOS and Windows can): time the thread spent waiting for a core that another process had does
 * not count, which matters on a shared machine. The clock is read twice per round, never per call.
 */
public final class RoundTimer {
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private static final boolean CPU_CLOCK = cpuClockWorks();

    private final long roundNanos;

    RoundTimer(long roundNanos) {
        if (roundNanos < 1) {
            throw new IllegalArgumentException("a round must last at least 1 ns, found " + roundNanos);
        }
        this.roundNanos = roundNanos;
    }

    /** {@code "thread CPU time"} or {@code "wall-clock time"}: what {@link #nanosPerCall} measures. */
    public static String clockName() {
        return CPU_CLOCK ? "thread CPU time" : "wall-clock time";
    }

    /** Nanoseconds of the current thread's CPU time, or of wall-clock time when that cannot be read. */
    static long clock() {
        return CPU_CLOCK ? THREADS.getCurrentThreadCpuTime() : System.nanoTime();
    }

    long roundNanos() {
        return roundNanos;
    }

    /** Runs {@code body} for one round; returns the mean {@link #clock()} nanoseconds per call. */
    double nanosPerCall(Runnable body) {
        long cpuStart = clock();
        long end = System.nanoTime() + roundNanos;
        long calls = 0;
        do {
            body.run();
            calls++;
        } while (System.nanoTime() - end < 0);
        return (clock() - cpuStart) / (double) calls;
    }

    private static boolean cpuClockWorks() {
        try {
            return THREADS.isCurrentThreadCpuTimeSupported() && THREADS.isThreadCpuTimeEnabled()
                    && THREADS.getCurrentThreadCpuTime() >= 0;
        } catch (UnsupportedOperationException | SecurityException e) {
            return false;
        }
    }
}
