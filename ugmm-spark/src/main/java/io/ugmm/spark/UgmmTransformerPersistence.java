package io.ugmm.spark;

import org.apache.hadoop.fs.Path;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.DefaultParamsWriter;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.ml.util.MLWriter;

import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Spark ML persistence of a {@link UgmmTransformer}: Spark's parameter metadata in {@code metadata/}, the
 * model file's bytes in {@code data/model.safetensors}, both through Hadoop's file system (local, HDFS, S3 ...).
 */
final class UgmmTransformerPersistence {
    static final String MODEL_FILE = "data/model.safetensors";

    private UgmmTransformerPersistence() {
    }

    static final class Writer extends MLWriter {
        private final UgmmTransformer instance;

        Writer(UgmmTransformer instance) {
            this.instance = instance;
        }

        @Override
        public void saveImpl(String path) {
            DefaultParamsWriter.saveMetadata(instance, path, sparkSession());
            Path file = new Path(path, MODEL_FILE);
            try {
                HadoopBytes.write(file, instance.modelBytes(), sc().hadoopConfiguration());
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write the ugmm model to " + file + ": " + e.getMessage(), e);
            }
        }
    }

    static final class Reader extends MLReader<UgmmTransformer> {
        @Override
        public UgmmTransformer load(String path) {
            DefaultParamsReader.Metadata metadata = DefaultParamsReader.loadMetadata(path, sparkSession(),
                    UgmmTransformer.class.getName());
            Path file = new Path(path, MODEL_FILE);
            byte[] bytes;
            try {
                bytes = HadoopBytes.read(file, sc().hadoopConfiguration());
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the ugmm model of the saved transformer at " + path
                        + " (" + file + "): " + e.getMessage(), e);
            }
            UgmmTransformer transformer = new UgmmTransformer(metadata.uid(), bytes);
            metadata.getAndSetParams(transformer, metadata.getAndSetParams$default$2());
            return transformer;
        }
    }
}
