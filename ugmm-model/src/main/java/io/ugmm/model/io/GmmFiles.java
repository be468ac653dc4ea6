package io.ugmm.model.io;

import io.ugmm.model.internal.MessageText;

import io.ugmm.model.gmm.CovarianceType;
import io.ugmm.model.gmm.GaussianMixture;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Gaussian mixtures ({@link GaussianMixture}) in safetensors files: tensors {@code weights} [K],
 * {@code means} [K, D] and {@code covariances} (shape by type: full [K, D, D], diag [K, D], spherical [K],
 * tied [D, D]), stored as F64; metadata {@value #FORMAT_NAME} as {@code format}, {@code covariance_type},
 * and EM's outcome ({@code converged}, {@code iterations}, {@code lower_bound}) plus whatever the caller adds.
 *
 * <p>Loading is strict: the format, the set of tensors, their types and shapes, finite values, weights
 * summing to 1 and positive-definite covariances are all checked, and every rejection is a
 * {@link ModelFileException} naming the file and tensor.
 */
public final class GmmFiles {
    public static final String FORMAT_NAME = "gmm";
    public static final String FORMAT_VERSION = "1";
    public static final String COVARIANCE_TYPE = "covariance_type";
    public static final String CONVERGED = "converged";
    public static final String ITERATIONS = "iterations";
    public static final String LOWER_BOUND = "lower_bound";
    private static final Set<String> TENSORS = Set.of("weights", "means", "covariances");
    /** More than this many components or features is not a file ugmm wrote. */
    private static final long MAX_SIZE = 1 << 20;

    private GmmFiles() {
    }

    /** A mixture as read from a file, with the file's metadata. */
    public record LoadedMixture(GaussianMixture mixture, ModelMetadata metadata) {
    }

    /** Writes {@code mixture} to {@code file} atomically, with {@code metadata} added to ugmm's own keys. */
    public static void save(GaussianMixture mixture, Path file, ModelMetadata metadata) throws IOException {
        SafetensorsWriter.write(toSafetensors(mixture, metadata), file);
    }

    public static byte[] toBytes(GaussianMixture mixture, ModelMetadata metadata) {
        return SafetensorsWriter.toBytes(toSafetensors(mixture, metadata));
    }

    static SafetensorsFile toSafetensors(GaussianMixture m, ModelMetadata metadata) {
        Map<String, String> meta = new TreeMap<>(metadata.asMap());
        meta.put(ModelMetadata.FORMAT, FORMAT_NAME);
        meta.put(ModelMetadata.FORMAT_VERSION, FORMAT_VERSION);
        meta.put(COVARIANCE_TYPE, m.covarianceType().label());
        meta.put(CONVERGED, Boolean.toString(m.converged()));
        meta.put(ITERATIONS, Integer.toString(m.iterations()));
        meta.put(LOWER_BOUND, Double.toString(m.lowerBound()));
        int k = m.components();
        int d = m.dims();
        return new SafetensorsFile(meta, List.of(
                doubles("weights", m.weights(), k),
                doubles("means", m.means(), k, d),
                doubles("covariances", m.covariances(), m.covarianceType().shape(k, d))));
    }

    private static Tensor doubles(String name, double[] values, long... shape) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 8).order(ByteOrder.LITTLE_ENDIAN);
        b.asDoubleBuffer().put(values);
        return Tensor.of(name, DType.F64, shape, b.array());
    }

    /** Whether a read file says it holds a Gaussian mixture ({@code format = gmm}). */
    public static boolean isGmm(SafetensorsFile file) {
        return FORMAT_NAME.equals(file.metadata().get(ModelMetadata.FORMAT));
    }

    public static LoadedMixture load(Path file) throws ModelFileException {
        return fromSafetensors(SafetensorsReader.read(file));
    }

    public static LoadedMixture fromBytes(byte[] bytes, String source) throws ModelFileException {
        return fromSafetensors(SafetensorsReader.read(bytes, source));
    }

    /** Interprets a read safetensors file as a Gaussian mixture, checking everything the class comment lists. */
    public static LoadedMixture fromSafetensors(SafetensorsFile file) throws ModelFileException {
        String src = file.source();
        Map<String, String> meta = file.metadata();
        String format = meta.get(ModelMetadata.FORMAT);
        if (!FORMAT_NAME.equals(format)) {
            throw new ModelFileException(src, null, "metadata format is " + (format == null ? "missing"
                    : MessageText.quote(format)) + ", expected " + MessageText.quote(FORMAT_NAME)
                    + (ModelFiles.FORMAT_NAME.equals(format) ? " (this is a uGMM network: use ugmm predict/info)" : ""));
        }
        String version = meta.get(ModelMetadata.FORMAT_VERSION);
        if (!FORMAT_VERSION.equals(version)) {
            throw new ModelFileException(src, null, "format_version " + (version == null ? "is missing"
                    : MessageText.quote(version)) + "; this ugmm reads gmm files of version " + FORMAT_VERSION);
        }
        String typeText = meta.get(COVARIANCE_TYPE);
        CovarianceType type;
        try {
            type = CovarianceType.parse(typeText == null ? "" : typeText);
        } catch (IllegalArgumentException e) {
            throw new ModelFileException(src, null, "metadata covariance_type is "
                    + (typeText == null ? "missing" : MessageText.quote(typeText)) + "; expected full, diag, spherical or tied");
        }
        for (String name : file.names()) {
            if (!TENSORS.contains(name)) {
                throw new ModelFileException(src, name, "unexpected tensor; a gmm file holds weights, means and covariances");
            }
        }
        Tensor weights = required(file, "weights");
        Tensor means = required(file, "means");
        Tensor covariances = required(file, "covariances");
        checkShape(src, weights, 1);
        checkShape(src, means, 2);
        long k = weights.dim(0);
        long d = means.dim(1);
        if (k < 1 || d < 1 || k > MAX_SIZE || d > MAX_SIZE || k * d > MAX_SIZE * 64) {
            throw new ModelFileException(src, "means", "shape " + means.shapeString() + " with " + k
                    + " weights: expected at least 1 component and 1 feature, and not more than " + MAX_SIZE + " of either");
        }
        if (means.dim(0) != k) {
            throw new ModelFileException(src, "means", "shape " + means.shapeString() + " but " + k
                    + " weights; expected [" + k + ", D]");
        }
        long[] expected = type.shape((int) k, (int) d);
        if (!java.util.Arrays.equals(expected, covariances.shape())) {
            throw new ModelFileException(src, "covariances", "shape " + covariances.shapeString() + ", expected "
                    + Tensor.shapeString(expected) + " for " + type.label() + " covariances of " + k
                    + " components over " + d + " features");
        }
        double[] w = values(src, weights);
        double[] mu = values(src, means);
        double[] cov = values(src, covariances);
        GaussianMixture mixture;
        try {
            mixture = GaussianMixture.of(type, w, mu, cov);
        } catch (IllegalArgumentException e) {
            String tensor = e.getMessage().startsWith("weight") ? "weights"
                    : e.getMessage().startsWith("mean") ? "means" : "covariances";
            throw new ModelFileException(src, tensor, e.getMessage());
        }
        ModelMetadata metadata = ModelMetadata.of(meta);
        boolean converged = "true".equals(meta.get(CONVERGED));
        int iterations;
        double bound;
        try {
            iterations = (int) Math.max(0, Math.min(Integer.MAX_VALUE, metadata.getLong(ITERATIONS).orElse(0)));
            bound = metadata.getDouble(LOWER_BOUND).orElse(Double.NEGATIVE_INFINITY);
        } catch (IllegalArgumentException e) {
            throw new ModelFileException(src, null, e.getMessage());
        }
        return new LoadedMixture(mixture.withFitInfo(converged, iterations, bound), metadata);
    }

    private static Tensor required(SafetensorsFile file, String name) throws ModelFileException {
        return file.tensor(name).orElseThrow(() -> new ModelFileException(file.source(), name,
                "missing; a gmm file holds weights, means and covariances"));
    }

    private static void checkShape(String src, Tensor t, int rank) throws ModelFileException {
        if (t.rank() != rank) {
            throw new ModelFileException(src, t.name(), "shape " + t.shapeString() + " has rank " + t.rank()
                    + ", expected " + rank);
        }
    }

    private static double[] values(String src, Tensor t) throws ModelFileException {
        if (t.dtype() != DType.F64 && t.dtype() != DType.F32) {
            throw new ModelFileException(src, t.name(), "dtype " + t.dtype() + ", expected F64 or F32");
        }
        int n = (int) t.elementCount();
        double[] out = new double[n];
        ByteBuffer data = t.data();
        for (int i = 0; i < n; i++) {
            out[i] = t.dtype() == DType.F64 ? data.getDouble(i * 8) : data.getFloat(i * 4);
            if (!Double.isFinite(out[i])) {
                throw new ModelFileException(src, t.name(), "element " + i + " is " + out[i] + ", expected a finite number");
            }
        }
        return out;
    }
}
