package io.ugmm.model.mdn;

import io.ugmm.model.io.ModelFileException;
import io.ugmm.model.io.ModelMetadata;
import io.ugmm.model.io.SafetensorsFile;
import io.ugmm.model.io.SafetensorsReader;
import io.ugmm.model.io.SafetensorsWriter;
import io.ugmm.model.io.Tensor;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Mixture density networks in safetensors files, through the project's strict reader and atomic writer.
 *
 * <p>Tensors (F32): {@code layers.<l>.weight} {@code [out, in]} (PyTorch's {@code Linear.weight} layout) and
 * {@code layers.<l>.bias} {@code [out]} for every dense layer, the head last; {@code input.mean},
 * {@code input.std}, {@code target.mean}, {@code target.std}: the standardisation. Metadata:
 * {@code format=mdn}, {@code format_version=1}, {@code inputs}, {@code targets}, {@code components},
 * {@code hidden} (e.g. {@code 32,32}, empty for none), {@code activation}, {@code min_std}, plus whatever
 * provenance the caller adds. Loading checks all of it: format, every tensor present with its exact shape
 * and nothing else, finite values, positive scales; each rejection is a {@link ModelFileException} naming
 * the file and tensor.
 */
public final class MdnFiles {
    public static final String FORMAT_NAME = "mdn";
    public static final String FORMAT_VERSION = "1";
    public static final String INPUTS = "inputs";
    public static final String TARGETS = "targets";
    public static final String COMPONENTS = "components";
    public static final String HIDDEN = "hidden";
    public static final String ACTIVATION = "activation";
    public static final String MIN_STD = "min_std";
    private static final Set<String> SHAPE_KEYS = Set.of(INPUTS, TARGETS, COMPONENTS, HIDDEN, ACTIVATION, MIN_STD,
            ModelMetadata.FORMAT, ModelMetadata.FORMAT_VERSION);

    private MdnFiles() {
    }

    /** A loaded network and the file's metadata. */
    public record Loaded(MixtureDensityNetwork network, ModelMetadata metadata) {
    }

    /** Whether a safetensors file's metadata says it holds a mixture density network. */
    public static boolean isMdn(SafetensorsFile file) {
        return FORMAT_NAME.equals(file.metadata().get(ModelMetadata.FORMAT));
    }

    /** Saves atomically; {@code provenance} keys must not collide with the architecture keys. */
    public static void save(MixtureDensityNetwork net, Path file, ModelMetadata provenance) throws IOException {
        SafetensorsWriter.write(toSafetensors(net, provenance), file);
    }

    public static SafetensorsFile toSafetensors(MixtureDensityNetwork net, ModelMetadata provenance) {
        for (String key : provenance.asMap().keySet()) {
            if (SHAPE_KEYS.contains(key)) {
                throw new IllegalArgumentException("metadata key '" + key + "' is reserved for the architecture");
            }
        }
        MdnShape shape = net.shape();
        Map<String, String> meta = new LinkedHashMap<>(provenance.asMap());
        meta.put(ModelMetadata.FORMAT, FORMAT_NAME);
        meta.put(ModelMetadata.FORMAT_VERSION, FORMAT_VERSION);
        meta.put(INPUTS, Integer.toString(shape.inputs()));
        meta.put(TARGETS, Integer.toString(shape.targets()));
        meta.put(COMPONENTS, Integer.toString(shape.components()));
        meta.put(HIDDEN, hiddenText(shape.hidden()));
        meta.put(ACTIVATION, shape.activation().label());
        meta.put(MIN_STD, Float.toString(net.minStd()));
        List<Tensor> tensors = new ArrayList<>();
        float[] p = net.parameters();
        for (int l = 0; l < shape.layers(); l++) {
            int in = shape.in(l);
            int out = shape.out(l);
            float[] w = new float[in * out];
            for (int i = 0; i < in; i++) {
                for (int o = 0; o < out; o++) {
                    w[o * in + i] = p[shape.weightOffset(l) + i * out + o];
                }
            }
            tensors.add(Tensor.ofFloats("layers." + l + ".weight", w, out, in));
            tensors.add(Tensor.ofFloats("layers." + l + ".bias", Arrays.copyOfRange(p, shape.biasOffset(l),
                    shape.biasOffset(l) + out), out));
        }
        Scaling s = net.scaling();
        tensors.add(Tensor.ofFloats("input.mean", s.inputMean(), shape.inputs()));
        tensors.add(Tensor.ofFloats("input.std", s.inputStd(), shape.inputs()));
        tensors.add(Tensor.ofFloats("target.mean", s.targetMean(), shape.targets()));
        tensors.add(Tensor.ofFloats("target.std", s.targetStd(), shape.targets()));
        return new SafetensorsFile(meta, tensors);
    }

    static String hiddenText(int[] hidden) {
        StringBuilder sb = new StringBuilder();
        for (int h : hidden) {
            sb.append(sb.length() == 0 ? "" : ",").append(h);
        }
        return sb.toString();
    }

    /** Loads and checks a file (see the class comment). */
    public static Loaded load(Path file) throws ModelFileException {
        return fromSafetensors(SafetensorsReader.read(file));
    }

    public static Loaded fromSafetensors(SafetensorsFile file) throws ModelFileException {
        String source = file.source();
        ModelMetadata meta = ModelMetadata.of(file.metadata());
        if (!isMdn(file)) {
            throw new ModelFileException(source, null, "is not a mixture density network file: expected metadata"
                    + " format=" + FORMAT_NAME + ", found " + meta.get(ModelMetadata.FORMAT).map(f -> "'" + f + "'")
                    .orElse("none"));
        }
        if (!FORMAT_VERSION.equals(meta.get(ModelMetadata.FORMAT_VERSION).orElse(null))) {
            throw new ModelFileException(source, null, "unsupported mdn format_version "
                    + meta.get(ModelMetadata.FORMAT_VERSION).orElse("(missing)") + "; this ugmm reads " + FORMAT_VERSION);
        }
        MdnShape shape;
        float minStd;
        try {
            int inputs = positive(meta, INPUTS, source);
            int targets = positive(meta, TARGETS, source);
            int components = positive(meta, COMPONENTS, source);
            String hiddenText = meta.get(HIDDEN).orElseThrow(() -> missing(source, HIDDEN));
            int[] hidden = hiddenText.isEmpty() ? new int[0]
                    : Arrays.stream(hiddenText.split(",", -1)).mapToInt(t -> parsePositive(t, HIDDEN, source)).toArray();
            Activation activation = Activation.parse(meta.get(ACTIVATION).orElseThrow(() -> missing(source, ACTIVATION)));
            shape = new MdnShape(inputs, targets, components, hidden, activation);
            minStd = Float.parseFloat(meta.get(MIN_STD).orElseThrow(() -> missing(source, MIN_STD)));
            if (!(minStd >= 0) || !Float.isFinite(minStd)) {
                throw new ModelFileException(source, null, "metadata min_std must be finite and >= 0, found " + minStd);
            }
        } catch (ModelFileException e) {
            throw e;
        } catch (IllegalArgumentException | ArithmeticException e) {
            throw new ModelFileException(source, null, "bad mdn metadata: " + e.getMessage());
        } catch (UncheckedModelFileException e) {
            throw e.cause;
        }
        Set<String> expected = new TreeSet<>();
        float[] p = new float[shape.parameterCount()];
        for (int l = 0; l < shape.layers(); l++) {
            int in = shape.in(l);
            int out = shape.out(l);
            float[] w = floats(file, "layers." + l + ".weight", expected, out, in);
            for (int i = 0; i < in; i++) {
                for (int o = 0; o < out; o++) {
                    p[shape.weightOffset(l) + i * out + o] = w[o * in + i];
                }
            }
            float[] b = floats(file, "layers." + l + ".bias", expected, out);
            System.arraycopy(b, 0, p, shape.biasOffset(l), out);
        }
        float[] inMean = floats(file, "input.mean", expected, shape.inputs());
        float[] inStd = positiveFloats(file, "input.std", expected, shape.inputs());
        float[] tMean = floats(file, "target.mean", expected, shape.targets());
        float[] tStd = positiveFloats(file, "target.std", expected, shape.targets());
        for (String name : file.names()) {
            if (!expected.contains(name)) {
                throw new ModelFileException(source, name, "is not part of a " + shape + " network; expected only "
                        + expected);
            }
        }
        return new Loaded(new MixtureDensityNetwork(shape, p, new Scaling(inMean, inStd, tMean, tStd), minStd), meta);
    }

    /** Carries a checked exception out of a lambda above. */
    private static final class UncheckedModelFileException extends RuntimeException {
        final ModelFileException cause;

        UncheckedModelFileException(ModelFileException cause) {
            super(cause);
            this.cause = cause;
        }
    }

    private static UncheckedModelFileException missing(String source, String key) {
        return new UncheckedModelFileException(new ModelFileException(source, null, "metadata has no '" + key
                + "' (every mdn file records inputs, targets, components, hidden, activation and min_std)"));
    }

    private static int positive(ModelMetadata meta, String key, String source) {
        return parsePositive(meta.get(key).orElseThrow(() -> missing(source, key)), key, source);
    }

    private static int parsePositive(String text, String key, String source) {
        try {
            int v = Integer.parseInt(text.trim());
            if (v >= 1 && v <= 1_000_000) {
                return v;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new UncheckedModelFileException(new ModelFileException(source, null, "metadata " + key
                + " must hold whole numbers from 1 to 1000000, found '" + text + "'"));
    }

    private static float[] floats(SafetensorsFile file, String name, Set<String> expected, long... shape)
            throws ModelFileException {
        expected.add(name);
        Tensor t = file.tensor(name).orElseThrow(() -> new ModelFileException(file.source(), name,
                "is missing; a network of this architecture needs it with shape " + Arrays.toString(shape)));
        if (!Arrays.equals(t.shape(), shape)) {
            throw new ModelFileException(file.source(), name, "has shape " + t.shapeString() + ", expected "
                    + Arrays.toString(shape));
        }
        if (!t.dtype().convertsToFloat()) {
            throw new ModelFileException(file.source(), name, "is " + t.dtype() + "; expected floating point");
        }
        float[] v = t.toFloats();
        for (int e = 0; e < v.length; e++) {
            if (!Float.isFinite(v[e])) {
                throw new ModelFileException(file.source(), name, "element " + e + " is " + v[e]
                        + "; every parameter must be finite");
            }
        }
        return v;
    }

    private static float[] positiveFloats(SafetensorsFile file, String name, Set<String> expected, long... shape)
            throws ModelFileException {
        float[] v = floats(file, name, expected, shape);
        for (int e = 0; e < v.length; e++) {
            if (!(v[e] > 0)) {
                throw new ModelFileException(file.source(), name, "element " + e + " is " + v[e]
                        + "; a scale must be positive");
            }
        }
        return v;
    }
}
