package io.ugmm.properties;

import io.ugmm.model.gmm.CovarianceType;
import io.ugmm.model.gmm.GaussianMixture;
import io.ugmm.model.gmm.GmmConfig;
import io.ugmm.model.gmm.GmmSample;
import io.ugmm.model.gmm.InitMethod;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** EM's defining property: no iteration lowers the likelihood (the lower bound), whatever the data and options. */
class EmProperties {

    @Property(tries = 60)
    void emNeverDecreasesTheLowerBound(@ForAll @IntRange(min = 1, max = 5) int dims,
                                       @ForAll @IntRange(min = 1, max = 4) int components,
                                       @ForAll @IntRange(min = 40, max = 400) int rows,
                                       @ForAll CovarianceType type,
                                       @ForAll InitMethod init,
                                       @ForAll @DoubleRange(min = 0.01, max = 1000) double scale,
                                       @ForAll long seed) {
        GmmSample data = randomMixture(dims, components, scale, seed).sample(rows, seed + 1);
        List<Double> bounds = new ArrayList<>();
        GaussianMixture fit = GaussianMixture.fit(data.x(), rows, dims,
                GmmConfig.builder(components).covarianceType(type).init(init).maxIter(25).tol(0).seed(seed)
                        // regCovar large against the variances makes EM a different (regularised) algorithm,
                        // which may step back: keep it tiny on the data's scale
                        .regCovar(1e-9 * scale * scale).build(),
                (run, iteration, model, lowerBound) -> bounds.add(lowerBound));
        assertEquals(25, bounds.size());
        for (int i = 1; i < bounds.size(); i++) {
            double previous = bounds.get(i - 1);
            // diag/spherical densities run in float lanes: allow a millionth of the bound, nothing like a real step back
            double slack = 1e-6 * (1 + Math.abs(previous));
            assertTrue(bounds.get(i) >= previous - slack,
                    "iteration " + (i + 1) + " lowered the bound from " + previous + " to " + bounds.get(i) + ": " + bounds);
        }
        assertEquals(bounds.get(bounds.size() - 1), fit.lowerBound(), 0.0);
    }

    private static GaussianMixture randomMixture(int dims, int components, double scale, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        double[] weights = new double[components];
        double total = 0;
        for (int k = 0; k < components; k++) {
            weights[k] = 0.2 + random.nextDouble();
            total += weights[k];
        }
        for (int k = 0; k < components; k++) {
            weights[k] /= total;
        }
        double[] means = new double[components * dims];
        double[] variances = new double[components * dims];
        for (int i = 0; i < means.length; i++) {
            means[i] = scale * (random.nextDouble() * 6 - 3);
            variances[i] = scale * scale * (0.1 + random.nextDouble());
        }
        return GaussianMixture.of(CovarianceType.DIAG, weights, means, variances);
    }
}
