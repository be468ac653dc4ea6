package io.ugmm.cli;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.Charset;

/**
 * Standard output that remembers whether a write failed because the reader went away
 * ({@code ugmm info ... | head -1}): such a run ends quietly, like other command-line tools, instead of
 * reporting an error about output nobody wants any more.
 */
final class PipeOutput extends PrintStream {
    /** The exit status of a process ended by SIGPIPE, which is what a shell shows for such tools. */
    static final int CLOSED_PIPE_EXIT = 141;

    private final Detector detector;

    private PipeOutput(Detector detector, OutputStream buffered, Charset charset) {
        super(buffered, true, charset);
        this.detector = detector;
    }

    /** Buffered output to {@code raw}; the detector sits under the buffer, where the writes really happen. */
    static PipeOutput over(OutputStream raw, Charset charset) {
        Detector detector = new Detector(raw);
        return new PipeOutput(detector, new java.io.BufferedOutputStream(detector, 1 << 16), charset);
    }

    /** Whether a write failed because the pipe was closed by its reader. */
    boolean pipeClosed() {
        return detector.closed;
    }

    private static final class Detector extends FilterOutputStream {
        volatile boolean closed;

        Detector(OutputStream out) {
            super(out);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            try {
                out.write(b, off, len);
            } catch (IOException e) {
                closed |= String.valueOf(e.getMessage()).toLowerCase(java.util.Locale.ROOT).contains("broken pipe");
                throw e;
            }
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[]{(byte) b}, 0, 1);
        }
    }
}
