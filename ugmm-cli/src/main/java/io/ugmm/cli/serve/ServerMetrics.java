package io.ugmm.cli.serve;

import java.util.EnumMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

/** The counters behind {@code GET /metrics}, rendered in the Prometheus text format (version 0.0.4). */
final class ServerMetrics {
    private final Map<String, LongAdder> requests = new ConcurrentHashMap<>();
    private final Map<ErrorKind, LongAdder> errors = new EnumMap<>(ErrorKind.class);
    private final LongAdder rows = new LongAdder();
    private final LongAdder reloadsOk = new LongAdder();
    private final LongAdder reloadsFailed = new LongAdder();
    private final Histogram latency = new Histogram("ugmm_predict_duration_seconds",
            "Time from reading a predict request to its response, in seconds.",
            0.0005, 0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5);
    private final Histogram batchRows = new Histogram("ugmm_batch_rows",
            "Rows evaluated together in one batched forward pass.",
            1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024);
    private volatile LongSupplier queuedRows = () -> 0;
    private volatile LongSupplier inFlight = () -> 0;

    ServerMetrics() {
        for (ErrorKind kind : ErrorKind.values()) {
            errors.put(kind, new LongAdder());
        }
    }

    void request(String endpoint, int status) {
        requests.computeIfAbsent(endpoint + "\",code=\"" + status, k -> new LongAdder()).increment();
    }

    void error(ErrorKind kind) {
        errors.get(kind).increment();
    }

    void rows(int count) {
        rows.add(count);
    }

    void predictSeconds(double seconds) {
        latency.observe(seconds);
    }

    void batch(int size) {
        batchRows.observe(size);
    }

    void reload(boolean ok) {
        (ok ? reloadsOk : reloadsFailed).increment();
    }

    void queuedRows(LongSupplier supplier) {
        this.queuedRows = supplier;
    }

    void inFlight(LongSupplier supplier) {
        this.inFlight = supplier;
    }

    long errorCount(ErrorKind kind) {
        return errors.get(kind).sum();
    }

    String render() {
        StringBuilder out = new StringBuilder(4096);
        out.append("# HELP ugmm_http_requests_total HTTP requests answered, by endpoint and status code.\n");
        out.append("# TYPE ugmm_http_requests_total counter\n");
        new TreeMap<>(requests).forEach((labels, n) ->
                out.append("ugmm_http_requests_total{endpoint=\"").append(labels).append("\"} ").append(n.sum()).append('\n'));
        out.append("# HELP ugmm_errors_total Refused or failed requests, by kind.\n");
        out.append("# TYPE ugmm_errors_total counter\n");
        errors.forEach((kind, n) ->
                out.append("ugmm_errors_total{kind=\"").append(kind.label()).append("\"} ").append(n.sum()).append('\n'));
        out.append("# HELP ugmm_rows_total Rows predicted.\n# TYPE ugmm_rows_total counter\n");
        out.append("ugmm_rows_total ").append(rows.sum()).append('\n');
        out.append("# HELP ugmm_queued_rows Rows waiting to be scored.\n# TYPE ugmm_queued_rows gauge\n");
        out.append("ugmm_queued_rows ").append(queuedRows.getAsLong()).append('\n');
        out.append("# HELP ugmm_requests_in_flight Requests being read, scored or answered (this one included).\n");
        out.append("# TYPE ugmm_requests_in_flight gauge\n");
        out.append("ugmm_requests_in_flight ").append(inFlight.getAsLong()).append('\n');
        out.append("# HELP ugmm_model_reloads_total Model reloads, by result.\n# TYPE ugmm_model_reloads_total counter\n");
        out.append("ugmm_model_reloads_total{result=\"ok\"} ").append(reloadsOk.sum()).append('\n');
        out.append("ugmm_model_reloads_total{result=\"failed\"} ").append(reloadsFailed.sum()).append('\n');
        latency.render(out);
        batchRows.render(out);
        return out.toString();
    }
}
