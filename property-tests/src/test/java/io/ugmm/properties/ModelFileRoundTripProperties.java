package io.ugmm.properties;

import io.ugmm.model.UgmmLayer;
import io.ugmm.model.UgmmNetwork;
import io.ugmm.model.io.LoadedModel;
import io.ugmm.model.io.ModelFiles;
import io.ugmm.model.io.ModelMetadata;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Save → load is the identity: same parameters bit for bit, same outputs bit for bit, same metadata. */
class ModelFileRoundTripProperties {
    private static Path dir;

    @BeforeContainer
    static void makeDirectory() throws IOException {
        dir = Files.createTempDirectory("ugmm-roundtrip");
    }

    @AfterContainer
    static void removeDirectory() throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    /** A network, a batch of rows for it, and metadata to store with it. */
    record Case(UgmmNetwork network, float[] rows, int rowCount, Map<String, String> metadata) {
        @Override
        public String toString() {
            return network.architecture() + ", " + rowCount + " rows, metadata " + metadata.keySet();
        }
    }

    @Property(tries = 200)
    void saveThenLoadGivesIdenticalParametersAndOutputs(@ForAll("cases") Case c) throws IOException {
        Path file = dir.resolve("model.safetensors");
        ModelMetadata metadata = ModelMetadata.of(c.metadata()).withSeed(42);
        ModelFiles.save(c.network(), file, metadata);
        LoadedModel loaded = ModelFiles.load(file);

        List<UgmmLayer> before = c.network().layers();
        List<UgmmLayer> after = loaded.network().layers();
        assertEquals(before.size(), after.size());
        for (int l = 0; l < before.size(); l++) {
            assertEquals(before.get(l).inputs(), after.get(l).inputs());
            assertEquals(before.get(l).nodes(), after.get(l).nodes());
            assertArrayEquals(bits(before.get(l).mu()), bits(after.get(l).mu()), "mu of layer " + l);
            assertArrayEquals(bits(before.get(l).logStd()), bits(after.get(l).logStd()), "std of layer " + l);
            assertArrayEquals(bits(before.get(l).logits()), bits(after.get(l).logits()), "k of layer " + l);
        }
        float[] expected = c.network().forwardBatch(c.rows(), c.rowCount());
        float[] actual = loaded.network().forwardBatch(c.rows(), c.rowCount());
        assertArrayEquals(bits(expected), bits(actual), "outputs");

        for (Map.Entry<String, String> e : metadata.asMap().entrySet()) {
            if (!List.of(ModelMetadata.FORMAT, ModelMetadata.FORMAT_VERSION, ModelMetadata.ARCHITECTURE)
                    .contains(e.getKey())) {
                assertEquals(e.getValue(), loaded.metadata().get(e.getKey()).orElse(null), "metadata " + e.getKey());
            }
        }
        assertEquals(ModelFiles.architecture(c.network()), loaded.metadata().architecture().orElseThrow());
    }

    private static int[] bits(float[] values) {
        int[] out = new int[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = Float.floatToRawIntBits(values[i]);
        }
        return out;
    }

    @Provide
    Arbitrary<Case> cases() {
        Arbitrary<List<Integer>> widths = Arbitraries.integers().between(1, 8).list().ofMinSize(2).ofMaxSize(5);
        return widths.flatMap(w -> Combinators.combine(network(w), Arbitraries.integers().between(1, 5), metadata())
                .flatAs((net, rowCount, meta) -> rows(w.get(0) * rowCount)
                        .map(rows -> new Case(net, rows, rowCount, meta))));
    }

    /** widths.get(0) inputs, then a layer per further width; finite parameters over wide ranges. */
    private static Arbitrary<UgmmNetwork> network(List<Integer> widths) {
        List<Arbitrary<UgmmLayer>> layers = new ArrayList<>();
        for (int i = 1; i < widths.size(); i++) {
            int inputs = widths.get(i - 1);
            int nodes = widths.get(i);
            int size = inputs * nodes;
            layers.add(Combinators.combine(
                    floats(-1e4f, 1e4f, size), floats(-8f, 8f, size), floats(-30f, 30f, size))
                    .as((mu, std, k) -> UgmmLayer.of(inputs, nodes, mu, std, k)));
        }
        return Combinators.combine(layers).as(UgmmNetwork::of);
    }

    private static Arbitrary<float[]> floats(float min, float max, int size) {
        return Arbitraries.floats().between(min, max).array(float[].class).ofSize(size);
    }

    private static Arbitrary<float[]> rows(int size) {
        return floats(-50f, 50f, size);
    }

    private static Arbitrary<Map<String, String>> metadata() {
        Arbitrary<String> text = Arbitraries.strings().withCharRange(' ', '~').withChars("\u00e9\u20ac\n\t\"\\\u0000")
                .ofMaxLength(20);
        return Arbitraries.maps(text, text).ofMaxSize(4);
    }
}
