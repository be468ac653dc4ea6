package io.ugmm.cli.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ugmm.cli.Main;
import io.ugmm.datasets.Dataset;
import io.ugmm.datasets.Iris;
import io.ugmm.model.Prediction;
import io.ugmm.model.UgmmModel;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The server's answers equal {@link UgmmModel#predict} for Iris models trained in the test (generative and
 * cross-entropy): all rows in one request, and row by row from many concurrent requests that the server
 * batches together.
 */
class ServeUgmmModelTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"nll", "ce"})
    void predictionsEqualUgmmModelPredict(String loss) throws Exception {
        Path file = dir.resolve("iris-" + loss + ".safetensors");
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        PrintStream quiet = new PrintStream(sink, true, StandardCharsets.UTF_8);
        assertEquals(0, Main.run(new String[] {"train", "--dataset", "iris", "--loss", loss, "--epochs", "40",
            "--restarts", "1", "--threads", "1", "--log-every", "40", "--out", file.toString()}, quiet, quiet), sink.toString());
        UgmmModel model = UgmmModel.load(file);
        Dataset iris = Iris.load();
        float[][] rows = new float[iris.rows()][];
        for (int r = 0; r < rows.length; r++) {
            rows[r] = Arrays.copyOfRange(iris.features, r * 4, r * 4 + 4);
        }

        try (ServerHarness h = new ServerHarness(file, UgmmScoringModel::load, 2, 256, 8192, 1 << 20, false)) {
            HttpResponse<String> all = h.post("/v1/predict", ServerHarness.body(rows));
            assertEquals(200, all.statusCode(), all.body());
            List<Map<String, Object>> predictions = ServerHarness.predictions(all);
            for (int r = 0; r < rows.length; r++) {
                assertSame(model.predict(rows[r]), predictions.get(r), "row " + r);
            }

            List<CompletableFuture<HttpResponse<String>>> single = new ArrayList<>();
            for (float[] row : rows) {
                single.add(h.client.sendAsync(HttpRequest.newBuilder(h.uri("/v1/predict"))
                        .POST(HttpRequest.BodyPublishers.ofString(ServerHarness.body(new float[][] {row}))).build(),
                        HttpResponse.BodyHandlers.ofString()));
            }
            for (int r = 0; r < rows.length; r++) {
                HttpResponse<String> response = single.get(r).get();
                assertEquals(200, response.statusCode(), response.body());
                assertSame(model.predict(rows[r]), ServerHarness.predictions(response).get(0), "single row " + r);
            }

            // a value the model's standardisation cannot take is refused, naming it; the server keeps serving
            HttpResponse<String> extreme = h.post("/v1/predict", "{\"rows\": [[5.1, 3.5, 1.4, 0.2], [5.1, 3.5, 1.4, 3e38]]}");
            assertEquals(400, extreme.statusCode(), extreme.body());
            assertTrue(extreme.body().contains("rows[1][3]: the value 3.0E38 cannot be used"), extreme.body());
            HttpResponse<String> after = h.post("/v1/predict", ServerHarness.body(new float[][] {rows[0]}));
            assertSame(model.predict(rows[0]), ServerHarness.predictions(after).get(0), "after a refused row");
        }
    }

    private static void assertSame(Prediction expected, Map<String, Object> actual, String where) {
        assertEquals(expected.className(), actual.get("class"), where);
        assertEquals((long) expected.classIndex(), actual.get("class_index"), where);
        List<?> p = (List<?>) actual.get("probabilities");
        float[] want = expected.probabilities();
        assertEquals(want.length, p.size(), where);
        for (int k = 0; k < want.length; k++) {
            assertEquals(want[k], ((Number) p.get(k)).floatValue(), 0f, where + " class " + k);
        }
        assertEquals(expected.outOfRange(), actual.containsKey("out_of_range"), where);
    }
}
