package io.ugmm.model.io;

import io.ugmm.model.internal.MessageText;

import io.ugmm.model.UgmmLayer;
import io.ugmm.model.UgmmNetwork;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Saves and loads uGMM networks as safetensors files, in the PyTorch reference's {@code state_dict} layout.
 *
 * <p>A layer of M nodes over N inputs is three F32 tensors of shape {@code [M, N]}:
 * {@code layers.<i>.mu} (means), {@code layers.<i>.std} (log standard deviations) and {@code layers.<i>.k}
 * (mixing logits). ugmm writes the first uGMM layer as {@code layers.1}, as the reference does (its
 * {@code layers.0} is the parameter-free input layer), so a file saved here loads into the reference model
 * with {@code safetensors.torch.load_model}. Its {@code __metadata__} holds {@code format=ugmm},
 * {@code format_version=1}, {@code architecture} (e.g. {@code 784-128-64-10}) and the caller's
 * {@link ModelMetadata} (data set, epochs, seed, dropout, ...).
 *
 * <p>Loading accepts:
 * <ul>
 *   <li>layer indices starting anywhere (the smallest present index is the first uGMM layer), as long as
 *       they are contiguous; each layer's N must equal the previous layer's M;</li>
 *   <li>F32, F16, BF16 or F64 tensors, converted to float (F64 rounds to nearest);</li>
 *   <li>the reference's aliases {@code layers.<i>.prev_layer.<param>} (the same tensor as
 *       {@code layers.<i-1>.<param>}; repeated {@code prev_layer.} go further back), which a full
 *       {@code state_dict} export carries: skipped if equal to the canonical tensor, used in its place if
 *       the canonical one is absent, rejected if they differ;</li>
 *   <li>files with no metadata (a plain PyTorch export) or another {@code format} (e.g. {@code pt}).</li>
 * </ul>
 * Everything else is a {@link ModelFileException} naming the tensor: unknown tensor names, missing layers or
 * parameters, mismatched shapes, non-finite parameters, a {@code format_version} other than 1, or an
 * {@code architecture} entry that contradicts the tensors.
 */
public final class ModelFiles {
    public static final String FORMAT_NAME = "ugmm";
    public static final String FORMAT_VERSION = "1";
    /** The index ugmm gives its first uGMM layer's tensors, as the reference does. */
    public static final int FIRST_LAYER_INDEX = 1;

    private static final String LAYERS = "layers.";
    private static final String PREV_LAYER = "prev_layer.";
    private static final List<String> PARAMETERS = List.of("mu", "std", "k");
    private static final int MAX_LISTED = 10;

    private ModelFiles() {
    }

    /** Saves atomically with only the metadata ugmm adds itself. */
    public static void save(UgmmNetwork network, Path file) throws IOException {
        save(network, file, ModelMetadata.empty());
    }

    /**
     * Saves {@code network} to {@code file} atomically: a temporary file in the same directory is written,
     * forced to the device and renamed over {@code file}, so a crash never leaves a partial model where the
     * old one was.
     */
    public static void save(UgmmNetwork network, Path file, ModelMetadata metadata) throws IOException {
        SafetensorsWriter.write(toSafetensors(network, metadata), file);
    }

    /** The bytes {@link #save} would write. */
    public static byte[] toBytes(UgmmNetwork network, ModelMetadata metadata) {
        return SafetensorsWriter.toBytes(toSafetensors(network, metadata));
    }

    /** The tensors and metadata of a model file, before writing. */
    public static SafetensorsFile toSafetensors(UgmmNetwork network, ModelMetadata metadata) {
        Objects.requireNonNull(network, "network");
        Map<String, String> meta = new TreeMap<>(metadata.asMap());
        meta.put(ModelMetadata.FORMAT, FORMAT_NAME);
        meta.put(ModelMetadata.FORMAT_VERSION, FORMAT_VERSION);
        meta.put(ModelMetadata.ARCHITECTURE, architecture(network));
        List<Tensor> tensors = new ArrayList<>();
        List<UgmmLayer> layers = network.layers();
        for (int l = 0; l < layers.size(); l++) {
            UgmmLayer layer = layers.get(l);
            String prefix = LAYERS + (FIRST_LAYER_INDEX + l) + ".";
            tensors.add(Tensor.ofFloats(prefix + "mu", layer.mu(), layer.nodes(), layer.inputs()));
            tensors.add(Tensor.ofFloats(prefix + "std", layer.logStd(), layer.nodes(), layer.inputs()));
            tensors.add(Tensor.ofFloats(prefix + "k", layer.logits(), layer.nodes(), layer.inputs()));
        }
        return new SafetensorsFile(meta, tensors);
    }

    /** e.g. {@code 784-128-64-10}: inputs, then each layer's nodes. */
    public static String architecture(UgmmNetwork network) {
        StringBuilder sb = new StringBuilder().append(network.inputs());
        for (UgmmLayer layer : network.layers()) {
            sb.append('-').append(layer.nodes());
        }
        return sb.toString();
    }

    /**
     * Loads a model file (see the class comment for what is accepted).
     *
     * @throws ModelFileException for every problem, including a missing or unreadable file
     */
    public static LoadedModel load(Path file) throws ModelFileException {
        return fromSafetensors(SafetensorsReader.read(file));
    }

    /** Loads model bytes held in memory; {@code source} names them in error messages. */
    public static LoadedModel fromBytes(byte[] bytes, String source) throws ModelFileException {
        return fromSafetensors(SafetensorsReader.read(bytes, source));
    }

    /** Interprets an already read safetensors file as a uGMM network. */
    public static LoadedModel fromSafetensors(SafetensorsFile file) throws ModelFileException {
        return new Loader(file).load();
    }

    /** A parsed tensor name: parameter {@code param} of layer {@code index - aliasDepth}. */
    private record ParamName(int layer, int aliasDepth, String param) {
    }

    /** {@code layers.<i>.(prev_layer.)*(mu|std|k)} or null; parsed by hand so no input can blow up a regex. */
    static ParamName parseName(String name) {
        if (!name.startsWith(LAYERS)) {
            return null;
        }
        int p = LAYERS.length();
        int start = p;
        while (p < name.length() && p - start <= 9 && name.charAt(p) >= '0' && name.charAt(p) <= '9') {
            p++;
        }
        int digits = p - start;
        if (digits == 0 || digits > 9 || (digits > 1 && name.charAt(start) == '0')
                || p >= name.length() || name.charAt(p) != '.') {
            return null;
        }
        int index = Integer.parseInt(name, start, p, 10);
        p++;
        int depth = 0;
        while (name.startsWith(PREV_LAYER, p)) {
            depth++;
            p += PREV_LAYER.length();
        }
        String param = name.substring(p);
        if (!PARAMETERS.contains(param) || depth > index) {
            return null;
        }
        return new ParamName(index - depth, depth, param);
    }

    private static final class Loader {
        private final SafetensorsFile file;
        /** layer index → parameter → the tensor that defines it. */
        private final TreeMap<Integer, Map<String, Tensor>> layers = new TreeMap<>();
        private final Map<Tensor, float[]> values = new java.util.IdentityHashMap<>();
        private final List<String> ignoredAliases = new ArrayList<>();

        Loader(SafetensorsFile file) {
            this.file = file;
        }

        private ModelFileException fail(String tensor, String detail) {
            return new ModelFileException(file.source(), tensor, detail);
        }

        LoadedModel load() throws ModelFileException {
            List<Tensor> aliases = new ArrayList<>();
            for (Tensor t : file.tensors()) {
                ParamName name = parseName(t.name());
                if (name == null) {
                    throw fail(t.name(), "is not a uGMM parameter; a model file holds only layers.<i>.mu, "
                            + "layers.<i>.std and layers.<i>.k (and the PyTorch reference's equal "
                            + "layers.<i>.prev_layer.* aliases)");
                }
                checkMatrix(t);
                if (name.aliasDepth == 0) {
                    layers.computeIfAbsent(name.layer, i -> new TreeMap<>()).put(name.param, t);
                } else {
                    aliases.add(t);
                }
            }
            aliases.sort(java.util.Comparator.comparing(Tensor::name));
            for (Tensor alias : aliases) {
                resolveAlias(alias);
            }
            if (layers.isEmpty()) {
                throw fail(null, "no uGMM layers: expected tensors named layers.<i>.mu, layers.<i>.std and "
                        + "layers.<i>.k");
            }
            checkContiguous();
            List<UgmmLayer> built = new ArrayList<>();
            int previousNodes = -1;
            int previousIndex = -1;
            for (Map.Entry<Integer, Map<String, Tensor>> e : layers.entrySet()) {
                int index = e.getKey();
                Map<String, Tensor> params = e.getValue();
                for (String p : PARAMETERS) {
                    if (!params.containsKey(p)) {
                        throw fail(LAYERS + index + "." + p, "is missing; layer " + index + " has only "
                                + String.join(" and ", params.keySet()));
                    }
                }
                Tensor mu = params.get("mu");
                for (String p : List.of("std", "k")) {
                    Tensor t = params.get(p);
                    if (t.dim(0) != mu.dim(0) || t.dim(1) != mu.dim(1)) {
                        throw fail(t.name(), "shape " + t.shapeString() + " differs from " + mu.name() + "'s "
                                + mu.shapeString() + "; mu, std and k of a layer have the same shape");
                    }
                }
                int nodes = (int) mu.dim(0);
                int inputs = (int) mu.dim(1);
                if (previousNodes >= 0 && inputs != previousNodes) {
                    throw fail(mu.name(), "shape " + mu.shapeString() + " takes " + inputs + " inputs but layer "
                            + previousIndex + " has " + previousNodes + " nodes; layer i's inputs must equal "
                            + "layer i-1's nodes");
                }
                try {
                    built.add(UgmmLayer.of(inputs, nodes, finite(mu), finite(params.get("std")),
                            finite(params.get("k"))));
                } catch (IllegalArgumentException ex) {
                    throw fail(null, "layer " + index + " is not usable: " + ex.getMessage());
                }
                previousNodes = nodes;
                previousIndex = index;
            }
            UgmmNetwork network = UgmmNetwork.of(built);
            ModelMetadata metadata = ModelMetadata.of(file.metadata());
            checkMetadata(metadata, network);
            return new LoadedModel(network, metadata, layers.firstKey(), ignoredAliases);
        }

        /** A parameter is a non-empty matrix [nodes, inputs] of a float type. */
        private void checkMatrix(Tensor t) throws ModelFileException {
            if (!t.dtype().convertsToFloat()) {
                throw fail(t.name(), "dtype " + t.dtype() + " is not a floating-point type; parameters must be "
                        + "F32, F16, BF16 or F64");
            }
            if (t.rank() != 2 || t.dim(0) < 1 || t.dim(1) < 1) {
                throw fail(t.name(), "shape " + t.shapeString() + " is not [nodes, inputs] with both at least 1");
            }
        }

        private void resolveAlias(Tensor alias) throws ModelFileException {
            ParamName name = parseName(alias.name());
            Map<String, Tensor> params = layers.computeIfAbsent(name.layer, i -> new TreeMap<>());
            Tensor canonical = params.get(name.param);
            if (canonical == null) { // e.g. save_model kept this name and dropped the canonical one
                params.put(name.param, alias);
                return;
            }
            String what = "is the PyTorch reference's alias of " + MessageText.quote(canonical.name());
            if (alias.dim(0) != canonical.dim(0) || alias.dim(1) != canonical.dim(1)) {
                throw fail(alias.name(), what + " but has shape " + alias.shapeString() + " instead of "
                        + canonical.shapeString());
            }
            float[] a = floats(alias);
            float[] c = floats(canonical);
            for (int i = 0; i < a.length; i++) {
                if (Float.floatToIntBits(a[i]) != Float.floatToIntBits(c[i])) {
                    throw fail(alias.name(), what + " but differs from it at " + element(canonical, i) + ": "
                            + a[i] + " vs " + c[i]);
                }
            }
            ignoredAliases.add(alias.name());
        }

        private void checkContiguous() throws ModelFileException {
            int expected = layers.firstKey();
            for (int index : layers.keySet()) {
                if (index != expected) {
                    throw fail(null, "layer " + expected + " is missing: found tensors for layers "
                            + list(layers.keySet()) + "; layer numbers must have no gaps");
                }
                expected++;
            }
        }

        private static String list(java.util.Set<Integer> indices) {
            String shown = indices.stream().limit(MAX_LISTED).map(String::valueOf).collect(Collectors.joining(", "));
            return indices.size() > MAX_LISTED ? shown + ", ... (" + indices.size() + " in all)" : shown;
        }

        private float[] floats(Tensor t) {
            return values.computeIfAbsent(t, Tensor::toFloats);
        }

        private float[] finite(Tensor t) throws ModelFileException {
            float[] v = floats(t);
            for (int i = 0; i < v.length; i++) {
                if (!Float.isFinite(v[i])) {
                    String why = t.dtype() == DType.F64 && !Double.isNaN(v[i]) ? " (beyond the float range)" : "";
                    throw fail(t.name(), "element " + element(t, i) + " is " + v[i] + why
                            + "; parameters must be finite");
                }
            }
            return v;
        }

        private static String element(Tensor t, int i) {
            long cols = t.dim(1);
            return "[" + i / cols + "][" + i % cols + "]";
        }

        private void checkMetadata(ModelMetadata metadata, UgmmNetwork network) throws ModelFileException {
            if (!metadata.get(ModelMetadata.FORMAT).orElse("").equals(FORMAT_NAME)) {
                return; // a PyTorch export ("pt") or another writer: the tensors say everything
            }
            String version = metadata.get(ModelMetadata.FORMAT_VERSION).orElse(null);
            if (version == null) {
                throw fail(null, "metadata says format " + FORMAT_NAME + " but has no " + ModelMetadata.FORMAT_VERSION);
            }
            if (!version.equals(FORMAT_VERSION)) {
                throw fail(null, "format_version " + MessageText.quote(version) + " is not supported; this ugmm "
                        + "reads format_version " + FORMAT_VERSION + " (was the file written by a newer ugmm?)");
            }
            String declared = metadata.get(ModelMetadata.ARCHITECTURE).orElse(null);
            String actual = architecture(network);
            if (declared != null && !declared.equals(actual)) {
                throw fail(null, "metadata architecture " + MessageText.quote(declared)
                        + " does not match the tensors, which make " + actual);
            }
        }
    }
}
