package io.ugmm.spark;

import org.apache.hadoop.fs.Path;
import org.apache.spark.ml.param.Params;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.DefaultParamsWriter;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.ml.util.MLWriter;

import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Spark ML persistence of a stage that carries a model file: Spark's parameter metadata in {@code metadata/},
 * the file's bytes in {@code data/} ({@link #MODEL_FILE} for {@link UgmmTransformer}, {@link #GMM_FILE} for
 * the Gaussian mixture stages, as {@code ugmm predict} and {@code ugmm gmm predict} read them), both through
 * Hadoop's file system (local, HDFS, S3 ...).
 */
final class StagePersistence {
    static final String MODEL_FILE = "data/model.safetensors";
    static final String GMM_FILE = "data/gmm.safetensors";

    private StagePersistence() {
    }

    /** Makes the stage saved with this uid from its data file's bytes (null when it has none). */
    @FunctionalInterface
    interface Restore<T> {
        T restore(String uid, byte[] data);
    }

    /** Writes a stage's parameters, and {@code data} (when not null) as {@code dataFile}. */
    static final class Writer extends MLWriter {
        private final Params stage;
        private final String dataFile;
        private final String what;
        private final byte[] data;

        /** {@code what} names the data in errors, e.g. "the ugmm model". */
        Writer(Params stage, String dataFile, String what, byte[] data) {
            this.stage = stage;
            this.dataFile = dataFile;
            this.what = what;
            this.data = data;
        }

        @Override
        public void saveImpl(String path) {
            DefaultParamsWriter.saveMetadata(stage, path, sparkSession());
            if (data != null) {
                Path file = new Path(path, dataFile);
                try {
                    HadoopBytes.write(file, data, sc().hadoopConfiguration());
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot write " + what + " to " + file + ": " + e.getMessage(), e);
                }
            }
        }
    }

    /** Reads a stage written by {@link Writer}: made from its data file, then given its saved parameters. */
    static final class Reader<T extends Params> extends MLReader<T> {
        private final Class<T> type;
        private final String dataFile;
        private final String what;
        private final boolean required;
        private final Restore<T> restore;

        /** For a stage that always has its data file. */
        Reader(Class<T> type, String dataFile, String what, Restore<T> restore) {
            this(type, dataFile, what, true, restore);
        }

        /** With {@code required} false, a missing data file gives {@code restore} null. */
        Reader(Class<T> type, String dataFile, String what, boolean required, Restore<T> restore) {
            this.type = type;
            this.dataFile = dataFile;
            this.what = what;
            this.required = required;
            this.restore = restore;
        }

        @Override
        public T load(String path) {
            DefaultParamsReader.Metadata metadata = DefaultParamsReader.loadMetadata(path, sparkSession(),
                    type.getName());
            Path file = new Path(path, dataFile);
            byte[] data = null;
            try {
                if (required || file.getFileSystem(sc().hadoopConfiguration()).exists(file)) {
                    data = HadoopBytes.read(file, sc().hadoopConfiguration());
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + what + " saved at " + path + " (" + file + "): "
                        + e.getMessage(), e);
            }
            T stage = restore.restore(metadata.uid(), data);
            metadata.getAndSetParams(stage, metadata.getAndSetParams$default$2());
            return stage;
        }
    }
}
