package io.ugmm.model.io;

import io.ugmm.model.internal.MessageText;

import io.ugmm.model.UgmmLayer;
import io.ugmm.model.UgmmNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ModelFilesTest {
    private static final UgmmNetwork NET = UgmmNetwork.builder(6).layer(5).layer(4).layer(3).seed(7).build();

    /** mu, std, k of one layer as F32 tensors named layers.<index>.*, values from a formula. */
    private static List<Tensor> layer(int index, int nodes, int inputs) {
        List<Tensor> out = new ArrayList<>();
        for (String p : List.of("mu", "std", "k")) {
            float[] v = new float[nodes * inputs];
            for (int i = 0; i < v.length; i++) {
                v[i] = (float) Math.sin(index * 31 + i + p.length()) * 0.5f;
            }
            out.add(Tensor.ofFloats("layers." + index + "." + p, v, nodes, inputs));
        }
        return out;
    }

    private static SafetensorsFile file(Map<String, String> metadata, List<Tensor> tensors) throws Exception {
        // through bytes, so the messages carry a file name and the reader is part of every test
        return SafetensorsReader.read(SafetensorsWriter.toBytes(new SafetensorsFile(metadata, tensors)), "m.safetensors");
    }

    private static ModelFileException rejects(List<Tensor> tensors, String expected) {
        return rejects(Map.of(), tensors, expected);
    }

    private static ModelFileException rejects(Map<String, String> metadata, List<Tensor> tensors, String expected) {
        ModelFileException e = assertThrows(ModelFileException.class,
                () -> ModelFiles.fromSafetensors(file(metadata, tensors)));
        assertTrue(e.getMessage().startsWith("m.safetensors: "), e.getMessage());
        assertTrue(e.getMessage().contains(expected), () -> "expected '" + expected + "' in: " + e.getMessage());
        return e;
    }

    private static List<Tensor> concat(List<Tensor>... parts) {
        List<Tensor> all = new ArrayList<>();
        for (List<Tensor> p : parts) {
            all.addAll(p);
        }
        return all;
    }

    @Test
    void saveThenLoadGivesTheSameNetworkAndMetadata(@TempDir Path dir) throws Exception {
        Path p = dir.resolve("net.safetensors");
        ModelMetadata meta = ModelMetadata.empty().withDataset("iris").withEpochs(12).withSeed(7).withDropout(0.25)
                .with("learning_rate", 1e-3).with("format", "ignored: ModelFiles writes its own");
        ModelFiles.save(NET, p, meta);
        LoadedModel loaded = ModelFiles.load(p);

        UgmmNetwork net = loaded.network();
        assertEquals(NET.architecture(), net.architecture());
        for (int l = 0; l < NET.layers().size(); l++) {
            UgmmLayer a = NET.layers().get(l);
            UgmmLayer b = net.layers().get(l);
            assertArrayEquals(a.mu(), b.mu());
            assertArrayEquals(a.logStd(), b.logStd());
            assertArrayEquals(a.logits(), b.logits());
        }
        float[] row = {0.5f, -1f, 2f, 0f, 3f, -0.25f};
        assertArrayEquals(NET.forward(row), net.forward(row));

        ModelMetadata m = loaded.metadata();
        assertEquals("ugmm", m.get("format").orElseThrow());
        assertEquals("1", m.get("format_version").orElseThrow());
        assertEquals("6-5-4-3", m.architecture().orElseThrow());
        assertEquals("iris", m.dataset().orElseThrow());
        assertEquals(12, m.epochs().getAsLong());
        assertEquals(7, m.seed().getAsLong());
        assertEquals(0.25, m.dropout().getAsDouble());
        assertEquals(1e-3, m.getDouble("learning_rate").getAsDouble());
        assertEquals(1, loaded.firstLayerIndex());
        assertEquals(List.of("layers.1.k", "layers.1.mu", "layers.1.std", "layers.2.k", "layers.2.mu", "layers.2.std",
                "layers.3.k", "layers.3.mu", "layers.3.std"), SafetensorsReader.read(p).names());
    }

    @Test
    void savingReplacesAnExistingFile(@TempDir Path dir) throws Exception {
        Path p = dir.resolve("net.safetensors");
        ModelFiles.save(UgmmNetwork.builder(2).layer(1).build(), p);
        ModelFiles.save(NET, p);
        assertEquals("6 -> 5 -> 4 -> 3", ModelFiles.load(p).network().architecture());
        assertEquals(1, Files.list(dir).count());
    }

    @Test
    void loadsLayersNumberedFromZeroOrAnyStart() throws Exception {
        LoadedModel zero = ModelFiles.fromSafetensors(file(Map.of(), concat(layer(0, 3, 2), layer(1, 2, 3))));
        assertEquals("2 -> 3 -> 2", zero.network().architecture());
        assertEquals(0, zero.firstLayerIndex());
        LoadedModel five = ModelFiles.fromSafetensors(file(Map.of(), concat(layer(5, 3, 2), layer(6, 2, 3))));
        assertEquals(5, five.firstLayerIndex());
        assertTrue(five.metadata().isEmpty());
    }

    @Test
    void ignoresTheReferencesEqualPrevLayerAliases() throws Exception {
        List<Tensor> tensors = concat(layer(1, 3, 2), layer(2, 2, 3));
        for (Tensor t : layer(1, 3, 2)) {
            tensors.add(Tensor.ofFloats(t.name().replace("layers.1.", "layers.2.prev_layer."), t.toFloats(), 3, 2));
        }
        LoadedModel m = ModelFiles.fromSafetensors(file(Map.of(), tensors));
        assertEquals(List.of("layers.2.prev_layer.k", "layers.2.prev_layer.mu", "layers.2.prev_layer.std"),
                m.ignoredAliases());
        assertEquals("2 -> 3 -> 2", m.network().architecture());
    }

    @Test
    void usesAnAliasWhenTheCanonicalTensorIsAbsent() throws Exception {
        // safetensors' save_model keeps the alphabetically first name: layers.10.prev_layer.* over layers.9.*
        List<Tensor> tensors = new ArrayList<>(layer(2, 2, 3));
        for (Tensor t : layer(1, 3, 2)) {
            tensors.add(Tensor.ofFloats(t.name().replace("layers.1.", "layers.2.prev_layer."), t.toFloats(), 3, 2));
        }
        LoadedModel m = ModelFiles.fromSafetensors(file(Map.of(), tensors));
        assertEquals("2 -> 3 -> 2", m.network().architecture());
        assertArrayEquals(layer(1, 3, 2).get(0).toFloats(), m.network().layers().get(0).mu());
    }

    @Test
    void rejectsAnAliasThatDiffers() {
        List<Tensor> tensors = concat(layer(1, 3, 2), layer(2, 2, 3));
        float[] changed = layer(1, 3, 2).get(0).toFloats();
        changed[3] += 1;
        tensors.add(Tensor.ofFloats("layers.2.prev_layer.mu", changed, 3, 2));
        rejects(tensors, "tensor 'layers.2.prev_layer.mu': is the PyTorch reference's alias of 'layers.1.mu' but "
                + "differs from it at [1][1]");
        List<Tensor> reshaped = concat(layer(1, 3, 2), layer(2, 2, 3));
        reshaped.add(Tensor.ofFloats("layers.2.prev_layer.k", new float[6], 2, 3));
        rejects(reshaped, "but has shape [2, 3] instead of [3, 2]");
    }

    @Test
    void rejectsUnknownTensors() {
        for (String name : List.of("layers.1.bias", "model.weight", "layers.01.mu", "layers.1.prev_layer.prev_layer.mu",
                "layers.1234567890.mu", "layers..mu", "layers.1.mu.extra")) {
            rejects(concat(layer(1, 3, 2), List.of(Tensor.ofFloats(name, new float[6], 3, 2))),
                    "tensor " + MessageText.quote(name) + ": is not a uGMM parameter");
        }
    }

    @Test
    void rejectsAMissingLayerAndNamesIt() {
        rejects(concat(layer(1, 3, 2), layer(2, 3, 3), layer(4, 2, 3)),
                "layer 3 is missing: found tensors for layers 1, 2, 4");
    }

    @Test
    void rejectsAMissingParameter() {
        List<Tensor> tensors = concat(layer(1, 3, 2));
        tensors.remove(1); // std
        rejects(tensors, "tensor 'layers.1.std': is missing; layer 1 has only k and mu");
    }

    @Test
    void rejectsAFileWithNoLayers() {
        rejects(List.of(), "no uGMM layers");
    }

    @Test
    void rejectsShapesThatDoNotChain() {
        rejects(concat(layer(1, 3, 2), layer(2, 2, 4)),
                "tensor 'layers.2.mu': shape [2, 4] takes 4 inputs but layer 1 has 3 nodes");
        List<Tensor> odd = concat(layer(1, 3, 2));
        odd.set(2, Tensor.ofFloats("layers.1.k", new float[6], 2, 3));
        rejects(odd, "tensor 'layers.1.k': shape [2, 3] differs from layers.1.mu's [3, 2]");
    }

    @Test
    void rejectsParametersThatAreNotFloatMatrices() {
        rejects(List.of(Tensor.of("layers.1.mu", DType.I32, new long[] {1, 1}, new byte[4])),
                "tensor 'layers.1.mu': dtype I32 is not a floating-point type");
        rejects(List.of(Tensor.ofFloats("layers.1.mu", new float[3], 3)), "shape [3] is not [nodes, inputs]");
        rejects(List.of(Tensor.ofFloats("layers.1.mu", new float[0], 0, 3)), "shape [0, 3] is not [nodes, inputs]");
    }

    @Test
    void rejectsNonFiniteParametersNamingTheElement() {
        List<Tensor> tensors = concat(layer(1, 3, 2));
        float[] mu = tensors.get(0).toFloats();
        mu[5] = Float.NaN;
        tensors.set(0, Tensor.ofFloats("layers.1.mu", mu, 3, 2));
        rejects(tensors, "tensor 'layers.1.mu': element [2][1] is NaN; parameters must be finite");

        List<Tensor> f64 = concat(layer(1, 1, 2));
        byte[] big = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putDouble(0.5).putDouble(-1e300).array();
        f64.set(2, Tensor.of("layers.1.k", DType.F64, new long[] {1, 2}, big));
        rejects(f64, "tensor 'layers.1.k': element [0][1] is -Infinity (beyond the float range)");
    }

    @Test
    void rejectsFiniteButUnusableStandardDeviations() {
        List<Tensor> tensors = concat(layer(1, 1, 2));
        tensors.set(1, Tensor.ofFloats("layers.1.std", new float[] {0f, 200f}, 1, 2));
        rejects(tensors, "layer 1 is not usable: logStd[0][1] is 200.0");
    }

    @Test
    void checksUgmmMetadata() {
        List<Tensor> tensors = concat(layer(1, 3, 2));
        rejects(Map.of("format", "ugmm", "format_version", "2"), tensors,
                "format_version '2' is not supported; this ugmm reads format_version 1");
        rejects(Map.of("format", "ugmm"), tensors, "metadata says format ugmm but has no format_version");
        rejects(Map.of("format", "ugmm", "format_version", "1", "architecture", "2-4"), tensors,
                "metadata architecture '2-4' does not match the tensors, which make 2-3");
    }

    @Test
    void acceptsOtherWritersMetadataAsItIs() throws Exception {
        LoadedModel m = ModelFiles.fromSafetensors(file(Map.of("format", "pt", "architecture", "anything"),
                concat(layer(1, 3, 2))));
        assertEquals(new TreeMap<>(Map.of("format", "pt", "architecture", "anything")), m.metadata().asMap());
    }

    @Test
    void loadsHalfPrecisionParameters() throws Exception {
        ByteBuffer half = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putShort((short) 0x3c00)
                .putShort((short) 0xb800); // 1.0, -0.5
        List<Tensor> tensors = List.of(Tensor.of("layers.1.mu", DType.F16, new long[] {1, 2}, half.array()),
                Tensor.of("layers.1.std", DType.BF16, new long[] {1, 2}, half.array()),
                Tensor.of("layers.1.k", DType.F16, new long[] {1, 2}, half.array()));
        UgmmLayer l = ModelFiles.fromSafetensors(file(Map.of(), tensors)).network().layers().get(0);
        assertArrayEquals(new float[] {1f, -0.5f}, l.mu());
        // the same bits read as BF16: 0x3c00 -> 2^-7, 0xb800 -> -2^-15
        assertArrayEquals(new float[] {0x1p-7f, -0x1p-15f}, l.logStd());
    }

    @Test
    void metadataHelpersExplainBadValues() {
        ModelMetadata m = ModelMetadata.empty().with("epochs", "ten");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, m::epochs);
        assertEquals("metadata epochs is 'ten', not a whole number", e.getMessage());
        assertTrue(m.without("epochs").isEmpty());
    }
}
