package io.ugmm.cli;

import io.ugmm.cli.serve.ScoringModel;
import io.ugmm.cli.serve.ScoringServer;
import io.ugmm.cli.serve.ServeOptions;
import io.ugmm.cli.serve.Signals;
import io.ugmm.cli.serve.UgmmScoringModel;
import io.ugmm.simd.MixtureKernels;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code ugmm serve --model FILE}: a scoring server over HTTP (see {@link ScoringServer}). Logs one start-up
 * line and one line per error; stops gracefully on SIGTERM or Ctrl-C; reloads the model file on SIGHUP.
 */
final class ServeCommand implements Command {
    private static final Pattern SIZE = Pattern.compile("(\\d+)\\s*(|b|kib|kb|k|mib|mb|m|gib|gb|g)");

    @Override
    public String name() {
        return "serve";
    }

    @Override
    public String summary() {
        return "a scoring server over HTTP: --model FILE [--port 8080]";
    }

    @Override
    public Set<String> valuedOptions() {
        return Set.of("model", "host", "port", "threads", "http-threads", "max-batch", "max-queue-rows",
                "max-wait-micros", "max-body-bytes", "request-timeout", "grace-seconds");
    }

    @Override
    public Set<String> flagOptions() {
        return Set.of("allow-reload");
    }

    @Override
    public Map<String, String> optionHelp() {
        return Map.ofEntries(
                Map.entry("model", "model file to serve (required); SIGHUP loads it again"),
                Map.entry("host", "address to listen on; 0.0.0.0 for every interface (default "
                        + ServeOptions.DEFAULT_HOST + ", this machine only)"),
                Map.entry("port", "TCP port; 0 picks a free one (default " + ServeOptions.DEFAULT_PORT + ")"),
                Map.entry("threads", "scoring threads, each running batched forward passes (default: the number"
                        + " of cores)"),
                Map.entry("http-threads", "threads reading requests and writing answers (default "
                        + ServeOptions.DEFAULT_HTTP_THREADS + ")"),
                Map.entry("max-batch", "most rows scored in one forward pass (default " + ServeOptions.DEFAULT_MAX_BATCH
                        + ")"),
                Map.entry("max-queue-rows", "most rows waiting to be scored; a request beyond it gets 503 with"
                        + " Retry-After (default " + ServeOptions.DEFAULT_MAX_QUEUE_ROWS + ")"),
                Map.entry("max-wait-micros", "how long a scoring thread waits for more rows before running a batch"
                        + " that is not full (default 0: score what is queued at once)"),
                Map.entry("max-body-bytes", "largest request body, e.g. 65536, 512KiB, 8MiB; larger gets 413"
                        + " (default 8MiB)"),
                Map.entry("request-timeout", "seconds a client may take to send a request or read its answer,"
                        + " and a request may wait to be scored (default "
                        + ServeOptions.DEFAULT_REQUEST_TIMEOUT_SECONDS + ")"),
                Map.entry("grace-seconds", "on SIGTERM, how long requests in flight may take to finish (default 5)"),
                Map.entry("allow-reload", "serve POST /v1/reload, which loads the model file again (default: off;"
                        + " SIGHUP always reloads)"));
    }

    @Override
    public int run(Args args, PrintStream out, PrintStream err) throws Exception {
        Path model = Path.of(args.require("model"));
        if (!Files.isRegularFile(model)) {
            throw new UsageException("--model " + model + " is not a file");
        }
        int cores = Runtime.getRuntime().availableProcessors();
        ServeOptions options = new ServeOptions(model,
                args.get("host", ServeOptions.DEFAULT_HOST),
                atLeast(args, "port", ServeOptions.DEFAULT_PORT, 0, 65535),
                args.getThreads(cores),
                atLeast(args, "http-threads", ServeOptions.DEFAULT_HTTP_THREADS, 1, 10_000),
                atLeast(args, "max-batch", ServeOptions.DEFAULT_MAX_BATCH, 1, 1 << 16),
                atLeast(args, "max-queue-rows", (int) ServeOptions.DEFAULT_MAX_QUEUE_ROWS, 1, Integer.MAX_VALUE),
                atLeast(args, "max-wait-micros", 0, 0, 1_000_000),
                bytes(args.get("max-body-bytes", "8MiB")),
                atLeast(args, "request-timeout", ServeOptions.DEFAULT_REQUEST_TIMEOUT_SECONDS, 1, 3600),
                args.has("allow-reload"));
        int grace = atLeast(args, "grace-seconds", 5, 0, 3600);

        ScoringServer server = new ScoringServer(options, UgmmScoringModel::load, err);
        server.start();
        ScoringModel served = server.model();
        CountDownLatch stop = new CountDownLatch(1);
        boolean signals = Signals.handle("TERM", stop::countDown) & Signals.handle("INT", stop::countDown);
        boolean hangup = Signals.handle("HUP", () -> server.reload("SIGHUP"));
        err.println("ugmm serve: " + model + " (" + served.inputCount() + " inputs, " + served.classNames().size()
                + " classes: " + served.description() + "), kernel " + MixtureKernels.preferred().name() + ", "
                + options.threads() + " scoring threads, listening on http://" + options.host() + ":" + server.port()
                + " (pid " + ProcessHandle.current().pid() + (hangup ? "; SIGHUP reloads" : "")
                + (options.allowReload() ? "; POST /v1/reload allowed" : "") + ")");
        err.flush();
        if (!signals) {
            // e.g. -Xrs: the JVM keeps the signals, so stop from a shutdown hook instead
            Runtime.getRuntime().addShutdownHook(new Thread(stop::countDown));
        }
        stop.await();
        int busy = server.inFlight();
        err.println("ugmm serve: stopping: no new connections, finishing " + busy + " request" + (busy == 1 ? "" : "s")
                + " in flight (at most " + grace + " s)");
        err.flush();
        server.stop(grace);
        err.println("ugmm serve: stopped");
        return 0;
    }

    private static int atLeast(Args args, String name, int fallback, int min, int max) {
        int v = args.getInt(name, fallback);
        if (v < min || v > max) {
            throw new UsageException("--" + name + " must be between " + min + " and " + max + ", found " + v);
        }
        return v;
    }

    /** "8MiB", "512KiB", "65536": binary units, case-insensitive. */
    static long bytes(String text) {
        Matcher m = SIZE.matcher(text.trim().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new UsageException("--max-body-bytes expects a size such as 65536, 512KiB or 8MiB, found '" + text + "'");
        }
        int shift = switch (m.group(2)) {
            case "kib", "kb", "k" -> 10;
            case "mib", "mb", "m" -> 20;
            case "gib", "gb", "g" -> 30;
            default -> 0;
        };
        long v;
        try {
            v = Long.parseLong(m.group(1));
        } catch (NumberFormatException e) {
            v = Long.MAX_VALUE;
        }
        if (v < 1 || v > (Integer.MAX_VALUE - 8L) >> shift) {
            throw new UsageException("--max-body-bytes must be between 1 byte and 2 GiB, found '" + text + "'");
        }
        return v << shift;
    }
}
