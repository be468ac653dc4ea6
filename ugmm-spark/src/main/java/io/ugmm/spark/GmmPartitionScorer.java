package io.ugmm.spark;

import io.ugmm.model.gmm.GaussianMixture;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Row;

import java.util.Arrays;
import java.util.Iterator;

/**
 * Scores a partition with a broadcast Gaussian mixture: appends the component, the posterior probabilities
 * and the log-density (those asked for).
 */
final class GmmPartitionScorer extends PartitionScorer {
    private static final long serialVersionUID = 1L;

    GmmPartitionScorer(Broadcast<byte[]> gmmBytes, Plan plan) {
        super(gmmBytes, plan);
    }

    @Override
    Batches batches(Iterator<Row> rows, int partition) {
        return new MixtureBatches(rows, GmmBroadcasts.get(bytes), partition);
    }

    private final class MixtureBatches extends Batches {
        private final GaussianMixture mixture;
        private final int components;
        private final int[] component;
        private final double[] probabilities;
        private final double[] logDensities;

        MixtureBatches(Iterator<Row> input, GaussianMixture mixture, int partition) {
            super(input, FeatureReader.names(mixture.dims()), GmmRows.describe(mixture.dims()), partition);
            this.mixture = mixture;
            this.components = mixture.components();
            this.component = new int[plan.batchSize()];
            this.probabilities = new double[plan.batchSize() * components];
            this.logDensities = new double[plan.batchSize()];
        }

        @Override
        int scoreRows(int scored) {
            boolean[] wanted = plan.wanted();
            mixture.scoreRows(features, 0, scored, wanted[0] ? component : null, wanted[1] ? probabilities : null,
                    wanted[2] ? logDensities : null);
            return scored;
        }

        @Override
        Object value(int output, int s) {
            return switch (output) {
                case 0 -> component[s];
                case 1 -> Vectors.dense(Arrays.copyOfRange(probabilities, s * components, (s + 1) * components));
                default -> logDensities[s];
            };
        }
    }
}
