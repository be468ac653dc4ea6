package io.ugmm.cli.serve;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The scoring server on the JDK's own HTTP server: {@code POST /v1/predict}, {@code GET /healthz},
 * {@code GET /v1/model}, {@code GET /metrics} and, when allowed, {@code POST /v1/reload}.
 *
 * <p>Requests are read and answered on {@code httpThreads} threads; their rows are scored by the
 * {@link RowBatcher}'s threads in batches. The model is swapped atomically on reload: a request is read,
 * checked and scored against the one model it started with.
 */
public final class ScoringServer {
    private static final Set<String> ENDPOINTS = Set.of("/v1/predict", "/healthz", "/v1/model", "/metrics", "/v1/reload");
    private static final String JSON = "application/json; charset=utf-8";

    private final ServeOptions options;
    private final ModelLoader loader;
    private final ErrorLog log;
    private final ServerMetrics metrics = new ServerMetrics();
    private final AtomicReference<ServedModel> current = new AtomicReference<>();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final Object reloadLock = new Object();
    private RowBatcher batcher;
    private ExecutorService httpThreads;
    private HttpServer server;

    public ScoringServer(ServeOptions options, ModelLoader loader, PrintStream log) {
        this.options = options;
        this.loader = loader;
        this.log = new ErrorLog(log);
        metrics.inFlight(inFlight::get);
    }

    /**
     * Loads the model and starts listening. The JDK server reads its {@code sun.net.httpserver.*} settings
     * once per JVM, when the first server is created; they are set here, before that, unless given on the
     * command line: TCP_NODELAY (without it, small responses wait for the client's delayed ACK: a 40 ms stall
     * per request on keep-alive connections) and the longest time a client may take to send a request or to
     * read its answer (a stuck client loses its connection instead of holding a thread).
     */
    public void start() throws Exception {
        setIfAbsent("sun.net.httpserver.nodelay", "true");
        setIfAbsent("sun.net.httpserver.maxReqTime", Integer.toString(options.requestTimeoutSeconds()));
        setIfAbsent("sun.net.httpserver.maxRspTime", Integer.toString(options.requestTimeoutSeconds()));
        ScoringModel model = loader.load(options.model());
        current.set(new ServedModel(model, options.model(), Instant.now(), 1));
        batcher = new RowBatcher(options.threads(), options.maxBatch(), options.maxQueueRows(),
                TimeUnit.MICROSECONDS.toNanos(options.maxWaitMicros()), metrics,
                e -> log.serverError("scoring failed: " + e));
        AtomicInteger n = new AtomicInteger();
        httpThreads = new ThreadPoolExecutor(options.httpThreads(), options.httpThreads(), 60, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), r -> {
                    Thread t = new Thread(r, "ugmm-http-" + n.getAndIncrement());
                    t.setDaemon(true);
                    return t;
                });
        try {
            server = HttpServer.create(new InetSocketAddress(options.host(), options.port()), 1024);
        } catch (IOException e) {
            batcher.shutdown(1, TimeUnit.SECONDS);
            httpThreads.shutdown();
            throw new IOException("cannot listen on " + options.host() + ":" + options.port() + ": " + e.getMessage()
                    + (e instanceof java.net.BindException ? " (is another server there? choose another --port)" : ""), e);
        }
        server.createContext("/", this::handle);
        server.setExecutor(httpThreads);
        server.start();
    }

    private static void setIfAbsent(String key, String value) {
        if (System.getProperty(key) == null) {
            System.setProperty(key, value);
        }
    }

    /** The port listened on (the chosen one when started with port 0). */
    public int port() {
        return server.getAddress().getPort();
    }

    /** The model being served now. */
    public ScoringModel model() {
        return current.get().model();
    }

    /** Requests being read, scored or answered now. */
    public int inFlight() {
        return inFlight.get();
    }

    /**
     * Stops: no new connections, requests already being handled finish (for at most {@code graceSeconds}),
     * then the threads end. Returns the number of requests that were still in flight when stopping began.
     */
    public int stop(int graceSeconds) throws InterruptedException {
        int busy = inFlight.get();
        // with nothing in flight, a second is enough for a request that arrives while the listener closes
        server.stop(busy == 0 ? 1 : graceSeconds);
        batcher.shutdown(graceSeconds, TimeUnit.SECONDS);
        httpThreads.shutdown();
        httpThreads.awaitTermination(graceSeconds, TimeUnit.SECONDS);
        return busy;
    }

    /** Loads the model file again and swaps it in; on failure the current model stays. Returns what happened. */
    public ReloadResult reload(String trigger) {
        synchronized (reloadLock) {
            ServedModel old = current.get();
            try {
                ScoringModel model = loader.load(old.path());
                ServedModel next = new ServedModel(model, old.path(), Instant.now(), old.version() + 1);
                current.set(next);
                metrics.reload(true);
                String message = "reloaded " + old.path() + " (" + trigger + "): version " + next.version() + ", "
                        + model.description();
                log.info(message);
                return new ReloadResult(true, message, next);
            } catch (Exception | OutOfMemoryError e) {
                metrics.reload(false);
                String message = "reload of " + old.path() + " (" + trigger + ") failed: "
                        + (e.getMessage() == null ? e.toString() : e.getMessage()) + "; still serving version "
                        + old.version() + " loaded at " + old.loadedAt();
                log.serverError(message);
                return new ReloadResult(false, message, old);
            }
        }
    }

    /** What a reload did: whether the new file is served, a sentence saying so (or why not), the model now served. */
    public record ReloadResult(boolean ok, String message, ServedModel served) {
    }

    private void handle(HttpExchange exchange) {
        inFlight.incrementAndGet();
        long started = System.nanoTime();
        String path = exchange.getRequestURI().getPath();
        String endpoint = ENDPOINTS.contains(path) ? path : "other";
        int status = 0;
        try {
            status = route(exchange, path, started);
        } catch (RequestException e) {
            status = e.status();
            metrics.error(e.kind());
            log.clientError(e.kind(), e.status(), e.getMessage());
            trySend(exchange, e);
        } catch (IOException e) {
            // the client went away or was too slow (the JDK server closed the connection): nobody to answer
            status = 0;
            metrics.error(ErrorKind.CLIENT_IO);
        } catch (RuntimeException | Error e) {
            status = 500;
            metrics.error(ErrorKind.INTERNAL);
            log.serverError("internal error on " + exchange.getRequestMethod() + " " + path + ": " + e
                    + (e.getStackTrace().length > 0 ? " at " + e.getStackTrace()[0] : ""));
            trySend(exchange, new RequestException(500, ErrorKind.INTERNAL, "internal error: " + e));
        } finally {
            exchange.close();
            metrics.request(endpoint, status);
            inFlight.decrementAndGet();
        }
    }

    private int route(HttpExchange exchange, String path, long started) throws IOException, RequestException {
        switch (path) {
            case "/v1/predict" -> {
                requireMethod(exchange, "POST");
                return predict(exchange, started);
            }
            case "/healthz" -> {
                requireMethod(exchange, "GET");
                return send(exchange, 200, JSON, ResponseWriter.status("ok"));
            }
            case "/v1/model" -> {
                requireMethod(exchange, "GET");
                return send(exchange, 200, JSON, ResponseWriter.model(current.get()));
            }
            case "/metrics" -> {
                requireMethod(exchange, "GET");
                return send(exchange, 200, "text/plain; version=0.0.4; charset=utf-8", metrics.render());
            }
            case "/v1/reload" -> {
                requireMethod(exchange, "POST");
                if (!options.allowReload()) {
                    throw new RequestException(403, ErrorKind.RELOAD_DISABLED, "reloading over HTTP is off; start"
                            + " the server with --allow-reload, or send it SIGHUP");
                }
                drain(exchange);
                ReloadResult result = reload("POST /v1/reload");
                if (!result.ok()) {
                    throw new RequestException(500, ErrorKind.RELOAD_FAILED, result.message());
                }
                return send(exchange, 200, JSON, "{\"status\":\"reloaded\",\"model\":"
                        + ResponseWriter.model(result.served()) + "}");
            }
            default -> throw new RequestException(404, ErrorKind.NOT_FOUND, "no such endpoint " + path
                    + "; try POST /v1/predict, GET /healthz, GET /v1/model, GET /metrics");
        }
    }

    private int predict(HttpExchange exchange, long started) throws IOException, RequestException {
        ServedModel served = current.get();
        ScoringModel model = served.model();
        byte[] body = readBody(exchange);
        PredictRequest request = PredictRequestReader.read(body, body.length, model.inputCount());
        ScoringJob job = new ScoringJob(model, request);
        if (request.rowCount() > 0) {
            batcher.submit(job);
            try {
                if (!job.await(options.requestTimeoutSeconds(), TimeUnit.SECONDS)) {
                    throw new RequestException(503, ErrorKind.TIMEOUT, "scoring took longer than "
                            + options.requestTimeoutSeconds() + " s (--request-timeout); retry later");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new RequestException(503, ErrorKind.SHUTTING_DOWN, "the server is shutting down");
            }
            if (job.failure() instanceof RequestException refusal) {
                throw refusal;
            }
            if (job.failure() != null) {
                throw new RequestException(500, ErrorKind.INTERNAL, "scoring failed: " + job.failure());
            }
        }
        metrics.rows(request.rowCount());
        int status = send(exchange, 200, JSON, ResponseWriter.predictions(job, model.classNames()));
        metrics.predictSeconds((System.nanoTime() - started) * 1e-9);
        return status;
    }

    /**
     * The whole body, refusing one larger than {@code --max-body-bytes} with 413 as soon as that is known:
     * from the Content-Length header before reading anything, or after {@code limit + 1} bytes of a chunked
     * body. The connection is then closed, so the rest is never read.
     */
    private byte[] readBody(HttpExchange exchange) throws IOException, RequestException {
        long limit = options.maxBodyBytes();
        String declared = exchange.getRequestHeaders().getFirst("Content-Length");
        InputStream in = exchange.getRequestBody();
        if (declared != null) {
            long length = Long.parseLong(declared.trim()); // the JDK server has refused a malformed one
            if (length > limit) {
                throw tooLarge(length + " bytes");
            }
            byte[] body = in.readNBytes((int) length);
            if (body.length < length) {
                throw new IOException("body ended after " + body.length + " of " + length + " bytes");
            }
            return body;
        }
        byte[] body = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, limit + 1));
        if (body.length > limit) {
            throw tooLarge("more than " + limit + " bytes");
        }
        return body;
    }

    private RequestException tooLarge(String size) {
        return new RequestException(413, ErrorKind.TOO_LARGE, "the body is " + size + ", more than --max-body-bytes "
                + options.maxBodyBytes() + "; send fewer rows per request");
    }

    private static void drain(HttpExchange exchange) throws IOException {
        exchange.getRequestBody().readNBytes(64 * 1024);
    }

    private static void requireMethod(HttpExchange exchange, String method) throws RequestException {
        String m = exchange.getRequestMethod();
        if (!m.equals(method) && !(method.equals("GET") && m.equals("HEAD"))) {
            exchange.getResponseHeaders().set("Allow", method.equals("GET") ? "GET, HEAD" : method);
            throw new RequestException(405, ErrorKind.METHOD_NOT_ALLOWED, m + " " + exchange.getRequestURI().getPath()
                    + " is not served; use " + method);
        }
    }

    private void trySend(HttpExchange exchange, RequestException e) {
        if (e.status() == 503) {
            exchange.getResponseHeaders().set("Retry-After", "1");
        }
        if (e.status() == 413) {
            exchange.getResponseHeaders().set("Connection", "close"); // the rest of the body is never read
        }
        try {
            send(exchange, e.status(), JSON, ResponseWriter.error(e.kind(), e.getMessage()));
        } catch (IOException ignored) {
            // the client is gone; the error is counted already
        }
    }

    private static int send(HttpExchange exchange, int status, String contentType, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", contentType);
        boolean head = exchange.getRequestMethod().equals("HEAD");
        exchange.sendResponseHeaders(status, head ? -1 : bytes.length);
        if (!head) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
        return status;
    }

    /** For tests: how many errors of a kind were counted. */
    long errorCount(ErrorKind kind) {
        return metrics.errorCount(kind);
    }

    /** For tests: rows waiting to be scored. */
    long queuedRows() {
        return batcher.queuedRows();
    }
}
