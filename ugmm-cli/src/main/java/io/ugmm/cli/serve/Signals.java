package io.ugmm.cli.serve;

/**
 * Operating-system signals through {@code sun.misc.Signal} (module jdk.unsupported, in every JDK since 9):
 * the only way for a Java program to act on SIGHUP, and a way to stop gracefully on SIGTERM and return
 * an exit code instead of running shutdown hooks under a dying JVM.
 */
public final class Signals {
    private Signals() {
    }

    /**
     * Runs {@code action} on its own thread whenever signal {@code name} (e.g. "TERM", "HUP") arrives.
     * Returns false, leaving the default behaviour, when the JVM does not let us (e.g. started with -Xrs).
     */
    public static boolean handle(String name, Runnable action) {
        try {
            sun.misc.Signal.handle(new sun.misc.Signal(name), signal -> action.run());
            return true;
        } catch (IllegalArgumentException | UnsupportedOperationException | LinkageError e) {
            return false;
        }
    }
}
