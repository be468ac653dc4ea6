package io.ugmm.spark;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.DefaultParamsWriter;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.ml.util.MLWriter;

import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Spark ML persistence of {@link UgmmGaussianMixtureModel} and {@link UgmmGaussianMixture}: Spark's parameter
 * metadata in {@code metadata/}; the fitted mixture (or the estimator's initial model, if it has one) as a
 * gmm file in {@code data/gmm.safetensors}, readable by {@code ugmm gmm predict --model}.
 */
final class GmmPersistence {
    static final String GMM_FILE = "data/gmm.safetensors";

    private GmmPersistence() {
    }

    static final class ModelWriter extends MLWriter {
        private final UgmmGaussianMixtureModel instance;

        ModelWriter(UgmmGaussianMixtureModel instance) {
            this.instance = instance;
        }

        @Override
        public void saveImpl(String path) {
            DefaultParamsWriter.saveMetadata(instance, path, sparkSession());
            writeGmm(path, instance.gmmBytes(), sc().hadoopConfiguration());
        }
    }

    static final class ModelReader extends MLReader<UgmmGaussianMixtureModel> {
        @Override
        public UgmmGaussianMixtureModel load(String path) {
            DefaultParamsReader.Metadata metadata = DefaultParamsReader.loadMetadata(path, sparkSession(),
                    UgmmGaussianMixtureModel.class.getName());
            UgmmGaussianMixtureModel model = new UgmmGaussianMixtureModel(metadata.uid(),
                    readGmm(path, sc().hadoopConfiguration()));
            metadata.getAndSetParams(model, metadata.getAndSetParams$default$2());
            return model;
        }
    }

    static final class EstimatorWriter extends MLWriter {
        private final UgmmGaussianMixture instance;

        EstimatorWriter(UgmmGaussianMixture instance) {
            this.instance = instance;
        }

        @Override
        public void saveImpl(String path) {
            DefaultParamsWriter.saveMetadata(instance, path, sparkSession());
            if (instance.initialModelBytes() != null) {
                writeGmm(path, instance.initialModelBytes(), sc().hadoopConfiguration());
            }
        }
    }

    static final class EstimatorReader extends MLReader<UgmmGaussianMixture> {
        @Override
        public UgmmGaussianMixture load(String path) {
            DefaultParamsReader.Metadata metadata = DefaultParamsReader.loadMetadata(path, sparkSession(),
                    UgmmGaussianMixture.class.getName());
            UgmmGaussianMixture estimator = new UgmmGaussianMixture(metadata.uid());
            metadata.getAndSetParams(estimator, metadata.getAndSetParams$default$2());
            Path file = new Path(path, GMM_FILE);
            try {
                if (file.getFileSystem(sc().hadoopConfiguration()).exists(file)) {
                    estimator.setInitialModel(GmmBroadcasts.parse(readGmm(path, sc().hadoopConfiguration()),
                            file.toString()));
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
            }
            return estimator;
        }
    }

    private static void writeGmm(String path, byte[] bytes, Configuration conf) {
        Path file = new Path(path, GMM_FILE);
        try {
            HadoopBytes.write(file, bytes, conf);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the Gaussian mixture to " + file + ": " + e.getMessage(), e);
        }
    }

    private static byte[] readGmm(String path, Configuration conf) {
        Path file = new Path(path, GMM_FILE);
        try {
            return HadoopBytes.read(file, conf);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the Gaussian mixture saved at " + path + " (" + file + "): "
                    + e.getMessage(), e);
        }
    }
}
