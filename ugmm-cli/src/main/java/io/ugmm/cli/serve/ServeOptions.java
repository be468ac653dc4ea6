package io.ugmm.cli.serve;

import java.nio.file.Path;

/**
 * How {@code ugmm serve} runs; see {@code ugmm help serve} for each option.
 *
 * @param port               0 picks a free port (tests)
 * @param threads            scoring threads (batched forward passes)
 * @param httpThreads        threads that read requests and write responses
 * @param maxWaitMicros      how long a scoring thread waits for more rows before running a batch that is
 *                           not full; 0 runs what is queued at once
 * @param requestTimeoutSeconds longest time a client may take to send a request, and to read the answer
 * @param allowReload        whether {@code POST /v1/reload} is served (SIGHUP always reloads)
 */
public record ServeOptions(Path model, String host, int port, int threads, int httpThreads, int maxBatch,
                           long maxQueueRows, long maxWaitMicros, long maxBodyBytes, int requestTimeoutSeconds,
                           boolean allowReload) {
    public static final String DEFAULT_HOST = "127.0.0.1";
    public static final int DEFAULT_PORT = 8080;
    public static final int DEFAULT_HTTP_THREADS = 64;
    public static final int DEFAULT_MAX_BATCH = 256;
    public static final long DEFAULT_MAX_QUEUE_ROWS = 8192;
    public static final long DEFAULT_MAX_BODY_BYTES = 8L << 20;
    public static final int DEFAULT_REQUEST_TIMEOUT_SECONDS = 30;
}
