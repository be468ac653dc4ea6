package io.ugmm.cli.serve;

import io.ugmm.model.internal.Json;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** Starts a {@link ScoringServer} on a free loopback port and talks to it with the JDK's HTTP client. */
final class ServerHarness implements AutoCloseable {
    /** Every test server uses this timeout: the JDK reads it once per JVM, when the first server starts. */
    static final int REQUEST_TIMEOUT_SECONDS = 2;

    final ScoringServer server;
    final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    final ByteArrayOutputStream logBytes = new ByteArrayOutputStream();
    private boolean stopped;

    ServerHarness(Path model, ModelLoader loader, int threads, int maxBatch, long maxQueueRows, long maxBodyBytes,
                  boolean allowReload) throws Exception {
        ServeOptions options = new ServeOptions(model, "127.0.0.1", 0, threads, 16, maxBatch, maxQueueRows, 0,
                maxBodyBytes, REQUEST_TIMEOUT_SECONDS, allowReload);
        server = new ScoringServer(options, loader, new PrintStream(logBytes, true, StandardCharsets.UTF_8));
        server.start();
    }

    URI uri(String path) {
        return URI.create("http://127.0.0.1:" + server.port() + path);
    }

    HttpResponse<String> get(String path) throws Exception {
        return client.send(HttpRequest.newBuilder(uri(path)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> post(String path, String body) throws Exception {
        return client.send(HttpRequest.newBuilder(uri(path)).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    String log() {
        return logBytes.toString(StandardCharsets.UTF_8);
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> json(HttpResponse<String> response) throws Exception {
        return (Map<String, Object>) Json.parse(response.body());
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> predictions(HttpResponse<String> response) throws Exception {
        return (List<Map<String, Object>>) json(response).get("predictions");
    }

    /** {@code {"rows": [[...], ...]}} with each float written as Float.toString writes it. */
    static String body(float[][] rows) {
        StringBuilder sb = new StringBuilder("{\"rows\": [");
        for (int r = 0; r < rows.length; r++) {
            sb.append(r > 0 ? ", [" : "[");
            for (int c = 0; c < rows[r].length; c++) {
                sb.append(c > 0 ? ", " : "").append(rows[r][c]);
            }
            sb.append(']');
        }
        return sb.append("]}").toString();
    }

    void stop() throws InterruptedException {
        if (!stopped) {
            stopped = true;
            server.stop(5);
        }
    }

    @Override
    public void close() throws InterruptedException {
        stop();
    }
}
