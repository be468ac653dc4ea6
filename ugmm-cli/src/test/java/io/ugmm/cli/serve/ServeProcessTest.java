package io.ugmm.cli.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ugmm.cli.Main;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ugmm serve} as its own process, as an operator runs it: the start-up line, SIGHUP reloading (a
 * broken file keeps the old model), and SIGTERM finishing a request in flight before exiting with 0.
 */
class ServeProcessTest {
    private static final Pattern STARTED = Pattern.compile("listening on http://127\\.0\\.0\\.1:(\\d+) \\(pid (\\d+)");
    private static final String ROW = "{\"rows\": [[5.1, 3.5, 1.4, 0.2]]}";

    @TempDir
    Path dir;

    @Test
    void sighupReloadsAndSigtermFinishesTheRequestInFlight() throws Exception {
        Path model = dir.resolve("iris.safetensors");
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        PrintStream quiet = new PrintStream(sink, true, StandardCharsets.UTF_8);
        assertEquals(0, Main.run(new String[] {"train", "--dataset", "iris", "--epochs", "20", "--restarts", "1",
            "--threads", "1", "--out", model.toString()}, quiet, quiet), sink.toString());
        byte[] good = Files.readAllBytes(model);

        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--add-modules", "jdk.incubator.vector", "-cp", System.getProperty("java.class.path"),
                "io.ugmm.cli.Main", "serve", "--model", model.toString(), "--port", "0", "--threads", "1"));
        Process server = new ProcessBuilder(command).redirectErrorStream(true).start();
        BlockingQueue<String> log = new LinkedBlockingQueue<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = in.readLine()) != null; ) {
                    log.add(line);
                }
            } catch (IOException ignored) {
                // the process ended
            }
        });
        reader.start();
        try {
            String started = nextLine(log, "listening on");
            Matcher m = STARTED.matcher(started);
            assertTrue(m.find(), started);
            assertTrue(started.contains("4 inputs, 3 classes"), started);
            int port = Integer.parseInt(m.group(1));
            long pid = Long.parseLong(m.group(2));
            assertEquals(server.pid(), pid);
            HttpClient client = HttpClient.newHttpClient();
            assertEquals(200, post(client, port, ROW).statusCode());

            Files.writeString(model, "not a model");
            signal("HUP", pid);
            String failed = nextLine(log, "reload");
            assertTrue(failed.contains("(SIGHUP) failed") && failed.contains("still serving version 1"), failed);
            assertEquals(200, post(client, port, ROW).statusCode());
            Files.write(model, good);
            signal("HUP", pid);
            assertTrue(nextLine(log, "reload").contains("reloaded " + model + " (SIGHUP): version 2"));

            // a request in flight: headers and half the body sent; SIGTERM; then the rest of the body
            try (Socket socket = new Socket("127.0.0.1", port)) {
                OutputStream out = socket.getOutputStream();
                byte[] body = ROW.getBytes(StandardCharsets.US_ASCII);
                out.write(("POST /v1/predict HTTP/1.1\r\nHost: localhost\r\nContent-Length: " + body.length + "\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                out.write(body, 0, 10);
                out.flush();
                while (!get(client, port, "/metrics").contains("ugmm_requests_in_flight 2")) {
                    Thread.sleep(20); // until the server is reading our request (the metrics request is the other)
                }
                signal("TERM", pid); // not Process.destroy(), which also closes our end of its output
                assertTrue(nextLine(log, "stopping").contains("finishing 1 request in flight"));
                out.write(body, 10, body.length - 10);
                out.flush();
                String response = readAll(socket.getInputStream());
                assertTrue(response.startsWith("HTTP/1.1 200"), response);
                assertTrue(response.contains("\"class\":\"setosa\""), response);
            }
            assertTrue(server.waitFor(30, TimeUnit.SECONDS), "the server exits after SIGTERM");
            assertEquals(0, server.exitValue());
            assertTrue(nextLine(log, "stopped").contains("stopped"));
        } finally {
            server.destroyForcibly();
            server.waitFor(10, TimeUnit.SECONDS);
        }
    }

    private static String nextLine(BlockingQueue<String> log, String containing) throws InterruptedException {
        List<String> skipped = new ArrayList<>();
        while (true) {
            String line = log.poll(60, TimeUnit.SECONDS);
            if (line == null) {
                throw new AssertionError("no log line containing '" + containing + "' in " + skipped);
            }
            skipped.add(line);
            if (line.contains(containing)) {
                return line;
            }
        }
    }

    private static void signal(String name, long pid) throws Exception {
        assertEquals(0, new ProcessBuilder("kill", "-" + name, Long.toString(pid)).start().waitFor());
    }

    private static HttpResponse<String> post(HttpClient client, int port, String body) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/predict"))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String get(HttpClient client, int port, String path) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    private static String readAll(InputStream in) throws IOException {
        return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
}
