package io.ugmm.cli.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The HTTP layer end to end against {@link FakeModel}: endpoints, bad input, overload, reload, shutdown. */
class ScoringServerTest {
    private static final float[][] VALID_ROWS = {{0.5f, 2f, -1f, 3f}, {4f, 0.25f, 1e-3f, -7f}};
    private static final String VALID = ServerHarness.body(VALID_ROWS);

    @TempDir
    Path dir;

    private ServerHarness start(boolean allowReload) throws Exception {
        Path model = FakeModel.write(dir.resolve("model.txt"), 4, "cat", "dog", "bird");
        return new ServerHarness(model, FakeModel.loader(null), 2, 256, 8192, 1 << 16, allowReload);
    }

    /** A valid request answered with exactly the model's probabilities and classes. */
    private static void assertServesValidRequest(ServerHarness h) throws Exception {
        HttpResponse<String> response = h.post("/v1/predict", VALID);
        assertEquals(200, response.statusCode(), response.body());
        List<Map<String, Object>> predictions = ServerHarness.predictions(response);
        assertEquals(VALID_ROWS.length, predictions.size());
        for (int r = 0; r < VALID_ROWS.length; r++) {
            assertFakeModelAnswer(VALID_ROWS[r], predictions.get(r), "row " + r);
        }
    }

    /** The fake model's probabilities for {@code row}, bit for bit, and its most likely class. */
    private static void assertFakeModelAnswer(float[] row, Map<String, Object> prediction, String where) {
        float[] expected = FakeModel.expected(row, 3);
        List<?> p = (List<?>) prediction.get("probabilities");
        int best = 0;
        for (int k = 0; k < 3; k++) {
            assertEquals(expected[k], ((Number) p.get(k)).floatValue(), 0f, where + " class " + k);
            best = expected[k] > expected[best] ? k : best;
        }
        assertEquals((long) best, prediction.get("class_index"), where);
        assertEquals(List.of("cat", "dog", "bird").get(best), prediction.get("class"), where);
    }

    @Test
    void predictHealthModelAndMetricsEndpoints() throws Exception {
        try (ServerHarness h = start(false)) {
            assertServesValidRequest(h);

            HttpResponse<String> health = h.get("/healthz");
            assertEquals(200, health.statusCode());
            assertEquals("ok", ServerHarness.json(health).get("status"));

            Map<String, Object> model = ServerHarness.json(h.get("/v1/model"));
            assertEquals(4L, model.get("inputs"));
            assertEquals(List.of("cat", "dog", "bird"), model.get("classes"));
            assertEquals(List.of("x0", "x1", "x2", "x3"), model.get("input_names"));
            assertEquals(Map.of("dataset", "fake"), model.get("metadata"));
            assertEquals(1L, model.get("version"));

            h.post("/v1/predict", "{\"rows\": [[1, 2]]}");
            // A request is counted after its answer is sent: wait until only this /metrics call is in flight.
            HttpResponse<String> metrics = h.get("/metrics");
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (!metrics.body().contains("ugmm_requests_in_flight 1\n") && System.nanoTime() < deadline) {
                Thread.sleep(10);
                metrics = h.get("/metrics");
            }
            assertEquals(200, metrics.statusCode());
            assertTrue(metrics.headers().firstValue("Content-Type").orElse("").startsWith("text/plain; version=0.0.4"));
            String text = metrics.body();
            assertTrue(text.contains("ugmm_http_requests_total{endpoint=\"/v1/predict\",code=\"200\"} 1\n"), text);
            assertTrue(text.contains("ugmm_http_requests_total{endpoint=\"/v1/predict\",code=\"400\"} 1\n"), text);
            assertTrue(text.contains("ugmm_errors_total{kind=\"wrong_shape\"} 1\n"), text);
            assertTrue(text.contains("ugmm_rows_total 2\n"), text);
            assertTrue(text.contains("ugmm_predict_duration_seconds_count 1\n"), text);
            assertTrue(text.contains("ugmm_predict_duration_seconds_bucket{le=\"+Inf\"} 1\n"), text);
            assertTrue(text.contains("ugmm_batch_rows_bucket{le=\"2\"} 1\n"), text);
        }
    }

    @Test
    void aRequestLargerThanOneBatchIsScoredInSlices() throws Exception {
        Path model = FakeModel.write(dir.resolve("model.txt"), 4, "cat", "dog", "bird");
        try (ServerHarness h = new ServerHarness(model, FakeModel.loader(null), 1, 2, 8192, 1 << 16, false)) {
            float[][] rows = new float[5][];
            for (int r = 0; r < rows.length; r++) {
                rows[r] = new float[] {r, 2 - r, 0.5f * r, 1};
            }
            HttpResponse<String> response = h.post("/v1/predict", ServerHarness.body(rows));
            assertEquals(200, response.statusCode(), response.body());
            List<Map<String, Object>> predictions = ServerHarness.predictions(response);
            assertEquals(5, predictions.size());
            for (int r = 0; r < rows.length; r++) {
                assertFakeModelAnswer(rows[r], predictions.get(r), "row " + r);
            }
            // a refused row in the third slice is named by its place in the request
            rows[4][1] = 666;
            HttpResponse<String> refused = h.post("/v1/predict", ServerHarness.body(rows));
            assertEquals(400, refused.statusCode());
            assertTrue(refused.body().contains("rows[4][1]: the fake model refuses 666"), refused.body());
            assertServesValidRequest(h);
        }
    }

    @Test
    void aPortInUseIsOneClearError() throws Exception {
        try (ServerHarness h = start(false)) {
            ServeOptions taken = new ServeOptions(dir.resolve("model.txt"), "127.0.0.1", h.server.port(), 1, 2, 256,
                    8192, 0, 1 << 16, ServerHarness.REQUEST_TIMEOUT_SECONDS, false);
            ScoringServer second = new ScoringServer(taken, FakeModel.loader(null), System.err);
            IOException e = assertThrows(IOException.class, second::start);
            assertTrue(e.getMessage().startsWith("cannot listen on 127.0.0.1:" + h.server.port()), e.getMessage());
            assertServesValidRequest(h);
        }
    }

    @Test
    void unknownPathsAndMethodsAreRefused() throws Exception {
        try (ServerHarness h = start(false)) {
            HttpResponse<String> notFound = h.get("/v2/predict");
            assertEquals(404, notFound.statusCode());
            assertEquals("not_found", ServerHarness.json(notFound).get("kind"));
            HttpResponse<String> wrongMethod = h.get("/v1/predict");
            assertEquals(405, wrongMethod.statusCode());
            assertEquals("POST", wrongMethod.headers().firstValue("Allow").orElse(""));
            assertServesValidRequest(h);
        }
    }

    @Test
    void everyBadInputIsA400NamingTheProblemAndTheServerKeepsServing() throws Exception {
        Object[][] cases = {
            {"{\"rows\": [[1, 2, 3, 4]", "malformed_json", "expected ',' or ']' after rows[0]"},
            {"not json", "malformed_json", "the body must be a JSON object"},
            {"{\"rows\": [[1, 2, 3, 4],]}", "wrong_shape", "rows[1] is"},
            {"{\"rows\": [[1, 2, 3, 4]], \"extra\": 1}", "malformed_json", "unknown field 'extra'"},
            {"{\"rows\": [[1, 2, 3, 4], [1, 2, 3]]}", "wrong_shape", "rows[1] has 3 values, expected 4"},
            {"{\"rows\": [[1, 2, 3, 4, 5]]}", "wrong_shape", "rows[0] has more than 4 values, expected 4"},
            {"{\"rows\": [1, 2, 3, 4]}", "wrong_shape", "rows[0] is '1' at byte 10, expected an array of 4 numbers"},
            {"{\"rows\": [[1, 2, \"3\", 4]]}", "not_a_number", "rows[0][2] is a string '\"3\"', expected a number"},
            {"{\"rows\": [[1, null, 3, 4]]}", "not_a_number", "rows[0][1] is null, expected a number"},
            {"{\"rows\": [[1, 2, 3, 4], [1, NaN, 3, 4]]}", "not_finite", "rows[1][1] is NaN; features must be finite"},
            {"{\"rows\": [[1, 2, 3, Infinity]]}", "not_finite", "rows[0][3] is Infinity"},
            {"{\"rows\": [[1, 2, 3, -Infinity]]}", "not_finite", "rows[0][3] is -Infinity"},
            {"{\"rows\": [[1, 2, 1e39, 4]]}", "not_finite", "rows[0][2] is 1e39, beyond the float range"},
            {"{\"rows\": [[1, 2, 01, 4]]}", "malformed_json", "rows[0][2] has a leading zero"},
            {"{\"rows\": [[1, 2, 1.5.2, 4]]}", "malformed_json", "rows[0][2] is not a JSON number: '1.5.2'"},
            {"{}", "malformed_json", "no \"rows\" field"},
        };
        try (ServerHarness h = start(false)) {
            for (Object[] c : cases) {
                HttpResponse<String> response = h.post("/v1/predict", (String) c[0]);
                assertEquals(400, response.statusCode(), (String) c[0]);
                Map<String, Object> error = ServerHarness.json(response);
                assertEquals(c[1], error.get("kind"), (String) c[0] + " -> " + response.body());
                assertTrue(((String) error.get("error")).contains((String) c[2]), (String) c[0] + " -> " + response.body());
                assertServesValidRequest(h);
            }
            assertTrue(h.log().contains("refused a request (400 malformed_json)"), h.log());
            assertTrue(h.log().lines().count() < cases.length, "client errors are rate-limited on the log:\n" + h.log());
        }
    }

    @Test
    void aBodyOverTheLimitIsRefusedWith413BeforeItIsRead() throws Exception {
        try (ServerHarness h = start(false); Socket socket = new Socket("127.0.0.1", h.server.port())) {
            // announce 100 MB but send only the headers and a few bytes: the answer must come anyway
            OutputStream out = socket.getOutputStream();
            out.write(("POST /v1/predict HTTP/1.1\r\nHost: localhost\r\nContent-Length: 100000000\r\n\r\n{\"rows\": [[")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String response = readResponse(socket.getInputStream());
            assertTrue(response.startsWith("HTTP/1.1 413"), response);
            assertTrue(response.contains("100000000 bytes, more than --max-body-bytes 65536"), response);
            assertEquals(1, h.server.errorCount(ErrorKind.TOO_LARGE));
            assertServesValidRequest(h);

            // and a chunked body (no length announced) is cut at the limit
            StringBuilder big = new StringBuilder("{\"rows\": [");
            while (big.length() < 70_000) {
                big.append("[1, 2, 3, 4], ");
            }
            HttpResponse<String> chunked = h.client.send(java.net.http.HttpRequest.newBuilder(h.uri("/v1/predict"))
                    .POST(java.net.http.HttpRequest.BodyPublishers.ofInputStream(
                            () -> new java.io.ByteArrayInputStream(big.toString().getBytes(StandardCharsets.US_ASCII))))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(413, chunked.statusCode(), chunked.body());
            assertServesValidRequest(h);
        }
    }

    @Test
    void overloadIsAFast503WithRetryAfterAndServingResumesAfterwards() throws Exception {
        try (Gated g = new Gated(2)) { // room for 2 queued rows
            ServerHarness h = g.harness;
            CompletableFuture<HttpResponse<String>> first = g.sendHeld();
            CompletableFuture<HttpResponse<String>> second = g.send(VALID);
            g.awaitQueuedRows(2);
            HttpResponse<String> refused = h.post("/v1/predict", VALID);
            assertEquals(503, refused.statusCode());
            assertEquals("1", refused.headers().firstValue("Retry-After").orElse(""));
            assertEquals("overloaded", ServerHarness.json(refused).get("kind"));
            assertTrue(((String) ServerHarness.json(refused).get("error")).contains("--max-queue-rows 2"));

            g.gate.release(1000);
            assertEquals(200, first.get(10, TimeUnit.SECONDS).statusCode());
            assertEquals(200, second.get(10, TimeUnit.SECONDS).statusCode());
            assertServesValidRequest(h);
        }
    }

    @Test
    void concurrentRequestsShareBatches() throws Exception {
        try (Gated g = new Gated(8192)) {
            CompletableFuture<HttpResponse<String>> first = g.sendHeld();
            List<CompletableFuture<HttpResponse<String>>> waiting = new java.util.ArrayList<>();
            for (int i = 0; i < 5; i++) {
                waiting.add(g.send(VALID));
            }
            // and one whose second row the model refuses: only that request fails
            CompletableFuture<HttpResponse<String>> bad = g.send("{\"rows\": [[1, 2, 3, 4], [1, 666, 3, 4]]}");
            g.awaitQueuedRows(12);
            g.gate.release(1000);
            assertEquals(200, first.get(10, TimeUnit.SECONDS).statusCode());
            for (CompletableFuture<HttpResponse<String>> f : waiting) {
                HttpResponse<String> r = f.get(10, TimeUnit.SECONDS);
                assertEquals(200, r.statusCode());
                assertEquals(2, ServerHarness.predictions(r).size());
            }
            HttpResponse<String> refused = bad.get(10, TimeUnit.SECONDS);
            assertEquals(400, refused.statusCode());
            assertTrue(refused.body().contains("rows[1][1]: the fake model refuses 666"), refused.body());
            // the six queued requests (12 rows) went to the model as one batch, then the five good ones again
            assertEquals(List.of(2, 12, 10), g.loaded[0].batchSizes);
        }
    }

    @Test
    void reloadSwapsAGoodFileAndKeepsTheOldModelOnABrokenOne() throws Exception {
        try (ServerHarness h = start(true)) {
            FakeModel.write(dir.resolve("model.txt"), 4, "red", "green", "blue");
            HttpResponse<String> ok = h.post("/v1/reload", "");
            assertEquals(200, ok.statusCode(), ok.body());
            assertEquals(List.of("red", "green", "blue"), ServerHarness.json(h.get("/v1/model")).get("classes"));
            assertEquals(2L, ServerHarness.json(h.get("/v1/model")).get("version"));
            String answer = ServerHarness.predictions(h.post("/v1/predict", VALID)).get(0).get("class").toString();
            assertTrue(List.of("red", "green", "blue").contains(answer));

            java.nio.file.Files.writeString(dir.resolve("model.txt"), "garbage");
            HttpResponse<String> broken = h.post("/v1/reload", "");
            assertEquals(500, broken.statusCode());
            String why = (String) ServerHarness.json(broken).get("error");
            assertTrue(why.contains("is not a model file: found 'garbage'") && why.contains("still serving version 2"), why);
            assertEquals(List.of("red", "green", "blue"), ServerHarness.json(h.get("/v1/model")).get("classes"));
            assertTrue(h.log().contains("reload of " + dir.resolve("model.txt") + " (POST /v1/reload) failed"), h.log());

            // a reload that changes the width: requests are checked against the new one
            FakeModel.write(dir.resolve("model.txt"), 2, "cat", "dog");
            assertTrue(h.server.reload("test").ok());
            HttpResponse<String> narrow = h.post("/v1/predict", "{\"rows\": [[1, 2]]}");
            assertEquals(200, narrow.statusCode(), narrow.body());
            assertEquals("dog", ServerHarness.predictions(narrow).get(0).get("class"));
        }
    }

    @Test
    void reloadOverHttpIsOffUnlessAllowed() throws Exception {
        try (ServerHarness h = start(false)) {
            FakeModel.write(dir.resolve("model.txt"), 4, "red", "green", "blue");
            HttpResponse<String> refused = h.post("/v1/reload", "");
            assertEquals(403, refused.statusCode());
            assertTrue(refused.body().contains("--allow-reload"));
            assertEquals(List.of("cat", "dog", "bird"), ServerHarness.json(h.get("/v1/model")).get("classes"));
        }
    }

    @Test
    void stopFinishesRequestsInFlightAndThenRefusesConnections() throws Exception {
        Gated g = new Gated(8192);
        ServerHarness h = g.harness;
        CompletableFuture<HttpResponse<String>> inFlight = g.sendHeld();
        CompletableFuture<Integer> stopping = CompletableFuture.supplyAsync(() -> {
            try {
                return h.server.stop(10);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        Thread.sleep(200); // let stop() close the listener while the request is still held
        assertFalse(stopping.isDone(), "stop waits for the request in flight");
        g.gate.release(1000);
        HttpResponse<String> response = inFlight.get(10, TimeUnit.SECONDS);
        assertEquals(200, response.statusCode());
        assertEquals(2, ServerHarness.predictions(response).size());
        assertEquals(1, stopping.get(10, TimeUnit.SECONDS));
        assertThrows(IOException.class, () -> h.get("/healthz"));
    }

    @Test
    void aStuckClientLosesItsConnectionAndOthersAreServed() throws Exception {
        try (ServerHarness h = start(false); Socket stuck = new Socket("127.0.0.1", h.server.port())) {
            stuck.getOutputStream().write("POST /v1/predict HTTP/1.1\r\nHost: localhost\r\nContent-Length: 50\r\n\r\n{\"ro"
                    .getBytes(StandardCharsets.US_ASCII));
            stuck.getOutputStream().flush();
            assertServesValidRequest(h);
            stuck.setSoTimeout(20_000);
            // the server closes the connection once --request-timeout has passed: end of stream, or a reset
            int read;
            try {
                read = stuck.getInputStream().read();
            } catch (IOException reset) {
                read = -1;
            }
            assertEquals(-1, read, "no answer, just a closed connection");
            assertServesValidRequest(h);
            assertEquals(1, h.server.errorCount(ErrorKind.CLIENT_IO));
        }
    }

    /** A server on a {@link FakeModel} whose batches wait at a gate, with one scoring thread. */
    private final class Gated implements AutoCloseable {
        final Semaphore gate = new Semaphore(0);
        final FakeModel[] loaded = new FakeModel[1];
        final ServerHarness harness;

        Gated(long maxQueueRows) throws Exception {
            Path model = FakeModel.write(dir.resolve("model.txt"), 4, "cat", "dog", "bird");
            harness = new ServerHarness(model, file -> loaded[0] = (FakeModel) FakeModel.loader(gate).load(file), 1, 256,
                    maxQueueRows, 1 << 16, false);
        }

        CompletableFuture<HttpResponse<String>> send(String body) {
            return harness.client.sendAsync(java.net.http.HttpRequest.newBuilder(harness.uri("/v1/predict"))
                    .POST(java.net.http.HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        }

        /** Sends a valid request and returns once its batch is held at the gate. */
        CompletableFuture<HttpResponse<String>> sendHeld() throws InterruptedException {
            CompletableFuture<HttpResponse<String>> response = send(VALID);
            assertTrue(loaded[0].entered.await(10, TimeUnit.SECONDS), "the first batch reached the model");
            return response;
        }

        void awaitQueuedRows(long rows) throws InterruptedException {
            while (harness.server.queuedRows() < rows) {
                Thread.sleep(5);
            }
        }

        @Override
        public void close() throws InterruptedException {
            harness.close();
        }
    }

    private static String readResponse(InputStream in) throws IOException {
        StringBuilder sb = new StringBuilder();
        byte[] buf = new byte[4096];
        int n;
        while ((n = in.read(buf)) > 0) {
            sb.append(new String(buf, 0, n, StandardCharsets.UTF_8));
            if (sb.indexOf("}") >= 0) {
                break;
            }
        }
        return sb.toString();
    }
}
