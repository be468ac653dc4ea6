package io.ugmm.model.internal;

import java.io.BufferedOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Replaces a file so that a crash at any moment leaves either the old file or the complete new one:
 * the content goes to a temporary file in the same directory, is flushed and forced to the device
 * ({@link FileChannel#force(boolean)}), then renamed over the target with
 * {@link StandardCopyOption#ATOMIC_MOVE}. On any failure the temporary file is deleted and the target
 * is untouched. Temporaries left by a process killed mid-write are removed by a later write to the same file.
 */
public final class AtomicFileWriter {
    /** Writes the content; the stream is buffered and must not be closed by the body (closing is ignored). */
    @FunctionalInterface
    public interface Body {
        void writeTo(OutputStream out) throws IOException;
    }

    /** A temporary this long without a write belongs to a writer that died. */
    static final long STALE_AFTER_MILLIS = 60_000;

    private AtomicFileWriter() {
    }

    /**
     * Checks that {@code target} can be written: its directory exists and is writable, and it is not a
     * directory itself. Call it before expensive work whose result goes to {@code target}.
     *
     * @throws IOException saying what is wrong with the path
     */
    public static void checkWritable(Path target) throws IOException {
        Path absolute = target.toAbsolutePath();
        Path directory = absolute.getParent();
        if (Files.isDirectory(absolute)) {
            throw new IOException(target + ": is a directory; expected a file name to write");
        }
        if (directory == null || !Files.isDirectory(directory)) {
            throw new IOException(target + ": cannot write, the directory " + directory + " does not exist");
        }
        if (!Files.isWritable(directory)) {
            throw new IOException(target + ": cannot write, the directory " + directory + " is not writable");
        }
    }

    public static void write(Path target, Body body) throws IOException {
        checkWritable(target);
        Path absolute = target.toAbsolutePath();
        Path directory = absolute.getParent();
        removeStaleTemporaries(directory, absolute.getFileName().toString());
        // a hidden sibling, so the rename stays within one file system; CREATE_NEW never follows an attacker's link
        Path temp = directory.resolve("." + absolute.getFileName() + "."
                + Long.toHexString(ThreadLocalRandom.current().nextLong()) + ".tmp");
        boolean moved = false;
        try {
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                OutputStream out = new BufferedOutputStream(Channels.newOutputStream(channel), 1 << 16);
                body.writeTo(new FilterOutputStream(out) {
                    @Override
                    public void write(byte[] b, int off, int len) throws IOException {
                        out.write(b, off, len); // FilterOutputStream's default writes byte by byte
                    }

                    @Override
                    public void close() throws IOException {
                        flush(); // the channel is closed below, after force
                    }
                });
                out.flush();
                channel.force(true);
            }
            Files.move(temp, absolute, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            moved = true;
            forceDirectory(directory);
        } finally {
            if (!moved) {
                try {
                    Files.deleteIfExists(temp);
                } catch (IOException ignored) {
                    // the original failure is the one worth reporting
                }
            }
        }
    }

    /**
     * Deletes temporaries an earlier write to the same file left behind when its process was killed mid-write:
     * {@code .NAME.<hex>.tmp} siblings untouched for {@link #STALE_AFTER_MILLIS} (a write in progress keeps
     * its own fresh, so concurrent writers are left alone).
     */
    private static void removeStaleTemporaries(Path directory, String name) {
        String prefix = "." + name + ".";
        long now = System.currentTimeMillis();
        try (var siblings = Files.newDirectoryStream(directory, p -> isTemporaryOf(p.getFileName().toString(), prefix))) {
            for (Path p : siblings) {
                try {
                    if (now - Files.getLastModifiedTime(p).toMillis() > STALE_AFTER_MILLIS) {
                        Files.deleteIfExists(p);
                    }
                } catch (IOException ignored) {
                    // cleaning up is a courtesy; the write itself does not depend on it
                }
            }
        } catch (IOException ignored) {
            // as above
        }
    }

    private static boolean isTemporaryOf(String file, String prefix) {
        if (!file.startsWith(prefix) || !file.endsWith(".tmp")) {
            return false;
        }
        String hex = file.substring(prefix.length(), file.length() - 4);
        return !hex.isEmpty() && hex.length() <= 16 && hex.chars().allMatch(c -> Character.digit(c, 16) >= 0);
    }

    /** Makes the rename itself durable where the platform allows opening a directory (Linux does). */
    private static void forceDirectory(Path directory) {
        try (FileChannel dir = FileChannel.open(directory, StandardOpenOption.READ)) {
            dir.force(true);
        } catch (IOException | UnsupportedOperationException ignored) {
            // not possible on every platform; the file content itself is already on the device
        }
    }
}
