package io.ugmm.model.gmm;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GaussianMixtureTest {

    @Test
    void recoversTheParametersOfAKnownMixture() {
        GaussianMixture truth = Mixtures.threeBlobs();
        GmmSample data = truth.sample(6000, 7);
        GaussianMixture fit = GaussianMixture.fit(data.x(), data.rows(), 2,
                GmmConfig.builder(3).nInit(3).seed(1).tol(1e-6).build());
        assertTrue(fit.converged(), fit.toString());
        // match fitted components to true ones by nearest mean
        for (int t = 0; t < 3; t++) {
            int k = nearestMean(fit, truth.means()[2 * t], truth.means()[2 * t + 1]);
            assertEquals(truth.weights()[t], fit.weights()[k], 0.02, "weight of component " + t);
            assertEquals(truth.means()[2 * t], fit.means()[2 * k], 0.08, "mean x of component " + t);
            assertEquals(truth.means()[2 * t + 1], fit.means()[2 * k + 1], 0.08, "mean y of component " + t);
            double[] expected = truth.covarianceMatrix(t);
            double[] found = fit.covarianceMatrix(k);
            for (int i = 0; i < 4; i++) {
                assertEquals(expected[i], found[i], 0.12 * Math.max(1, Math.abs(expected[i])),
                        "covariance entry " + i + " of component " + t);
            }
        }
        // its likelihood on fresh data is as good as the truth's, up to sampling noise
        GmmSample fresh = truth.sample(4000, 8);
        assertEquals(truth.score(fresh.x(), fresh.rows()), fit.score(fresh.x(), fresh.rows()), 0.02);
    }

    private static int nearestMean(GaussianMixture m, double x, double y) {
        return IntStream.range(0, m.components()).boxed().min(Comparator.comparingDouble(
                k -> Math.hypot(m.means()[2 * k] - x, m.means()[2 * k + 1] - y))).orElseThrow();
    }

    @ParameterizedTest
    @EnumSource(CovarianceType.class)
    void eachIterationAgreesWithADoublePrecisionReference(CovarianceType type) {
        GmmSample data = Mixtures.threeBlobs().sample(500, 3);
        // large offsets: float data around 1000 tests the shifted moments
        float[] x = data.x().clone();
        for (int i = 0; i < x.length; i++) {
            x[i] += 1000f;
        }
        GaussianMixture start = GaussianMixture.fit(x, data.rows(), 2,
                GmmConfig.builder(3).covarianceType(type).maxIter(1).seed(5).build());
        GaussianMixture ours = start;
        GaussianMixture reference = start;
        for (int it = 0; it < 5; it++) {
            GaussianMixture next = GaussianMixture.fit(x, data.rows(), 2, GmmConfig.builder(3).covarianceType(type)
                    .initialModel(ours).maxIter(1).build());
            double expectedBound = new DoubleEm(reference).meanLogLikelihood(x, data.rows());
            assertEquals(expectedBound, next.lowerBound(), 2e-6 * Math.abs(expectedBound), "lower bound, iteration " + it);
            reference = new DoubleEm(reference).step(x, data.rows(), type, 1e-6);
            ours = next;
            assertClose(reference.weights(), ours.weights(), 1e-6, "weights");
            assertClose(reference.means(), ours.means(), 1e-6, "means");
            assertClose(reference.covariances(), ours.covariances(), 1e-5, "covariances");
        }
    }

    private static void assertClose(double[] expected, double[] actual, double relative, String what) {
        assertEquals(expected.length, actual.length, what);
        for (int i = 0; i < expected.length; i++) {
            double tolerance = relative * Math.max(1, Math.abs(expected[i]));
            assertEquals(expected[i], actual[i], tolerance, what + " [" + i + "]: " + Arrays.toString(actual));
        }
    }

    @Test
    void scoresAreLogDensitiesThatNeverUnderflow() {
        GaussianMixture m = Mixtures.threeBlobs();
        float[] far = {1e4f, -1e4f, 0f, 0f};
        double[] s = m.scoreSamples(far, 2);
        assertTrue(Double.isFinite(s[0]) && s[0] < -1e6, "a row 1e4 away has a huge negative, finite log-density: " + s[0]);
        double[] p = m.predictProba(far, 2);
        for (int r = 0; r < 2; r++) {
            double sum = p[3 * r] + p[3 * r + 1] + p[3 * r + 2];
            assertEquals(1.0, sum, 1e-12, "probabilities of row " + r);
        }
        assertEquals(-0.5 * (2 * Math.log(2 * Math.PI) + Math.log(0.4 * 0.4)) + Math.log(0.2)
                        + logOthers(m, -3, 9), m.scoreSamples(new float[] {-3f, 9f}, 1)[0], 1e-9);
    }

    private static double logOthers(GaussianMixture m, double x, double y) {
        // log(1 + (density of components 0 and 1) / (density of component 2)) at (x, y)
        DoubleEm d = new DoubleEm(m);
        float[] row = {(float) x, (float) y};
        double l2 = d.weightedLogDensity(row, 0, 2);
        double others = Math.exp(d.weightedLogDensity(row, 0, 0) - l2) + Math.exp(d.weightedLogDensity(row, 0, 1) - l2);
        return Math.log1p(others);
    }

    @Test
    void predictTakesTheMostProbableComponentAndSamplingIsReproducible() {
        GaussianMixture m = Mixtures.threeBlobs();
        GmmSample a = m.sample(300, 11);
        GmmSample b = m.sample(300, 11);
        assertArrayEquals(a.x(), b.x());
        assertFalse(Arrays.equals(a.x(), m.sample(300, 12).x()));
        int[] predicted = m.predict(a.x(), a.rows());
        long agree = IntStream.range(0, a.rows()).filter(r -> predicted[r] == a.components()[r]).count();
        assertTrue(agree >= 290, "well-separated components are recovered by predict: " + agree + "/300");
    }

    @Test
    void bicAndAicFollowScikitLearnsFormulas() {
        GaussianMixture m = Mixtures.threeBlobs();
        GmmSample s = m.sample(200, 1);
        double score = m.score(s.x(), 200);
        // full, K=3, D=2: 3*3 covariance + 6 mean + 2 weight parameters
        assertEquals(17, m.freeParameters());
        assertEquals(-2 * score * 200 + 17 * Math.log(200), m.bic(s.x(), 200), 1e-9);
        assertEquals(-2 * score * 200 + 34, m.aic(s.x(), 200), 1e-9);
        assertEquals(3 * 2 + 6 + 2, CovarianceType.DIAG.freeParameters(3, 2));
        assertEquals(3 + 6 + 2, CovarianceType.SPHERICAL.freeParameters(3, 2));
        assertEquals(3 + 6 + 2, CovarianceType.TIED.freeParameters(3, 2));
    }

    @Test
    void moreInitialisationsNeverGiveAWorseLowerBound() {
        GmmSample data = Mixtures.threeBlobs().sample(400, 21);
        GmmConfig one = GmmConfig.builder(3).covarianceType(CovarianceType.DIAG).init(InitMethod.RANDOM).seed(4).build();
        GaussianMixture single = GaussianMixture.fit(data.x(), 400, 2, one);
        GaussianMixture best = GaussianMixture.fit(data.x(), 400, 2, one.toBuilder().nInit(5).build());
        assertTrue(best.lowerBound() >= single.lowerBound(), best.lowerBound() + " < " + single.lowerBound());
    }

    @ParameterizedTest
    @EnumSource(InitMethod.class)
    void everyInitialisationFitsAndIsReproducible(InitMethod init) {
        GmmSample data = Mixtures.threeBlobs().sample(500, 2);
        GmmConfig config = GmmConfig.builder(3).init(init).seed(9).build();
        GaussianMixture a = GaussianMixture.fit(data.x(), 500, 2, config);
        GaussianMixture b = GaussianMixture.fit(data.x(), 500, 2, config);
        assertArrayEquals(a.means(), b.means(), 0.0);
        assertEquals(a.lowerBound(), b.lowerBound(), 0.0);
        assertTrue(a.lowerBound() > -5, a.toString());
    }

    @Test
    void warmStartContinuesFromAnEarlierFit() {
        GmmSample data = Mixtures.threeBlobs().sample(500, 2);
        GmmConfig few = GmmConfig.builder(3).covarianceType(CovarianceType.TIED).maxIter(2).tol(0).seed(3).build();
        GaussianMixture first = GaussianMixture.fit(data.x(), 500, 2, few);
        GaussianMixture continued = GaussianMixture.fit(data.x(), 500, 2,
                GmmConfig.builder(3).warmStart(first).maxIter(2).tol(0).build());
        GaussianMixture straight = GaussianMixture.fit(data.x(), 500, 2, few.toBuilder().maxIter(4).build());
        assertArrayEquals(straight.means(), continued.means(), 1e-12);
        assertEquals(CovarianceType.TIED, continued.covarianceType());
    }

    @Test
    void badInputIsAClearError() {
        GmmConfig three = GmmConfig.builder(3).build();
        assertMessage(() -> GaussianMixture.fit(new float[0], 0, 2, three), "empty data");
        assertMessage(() -> GaussianMixture.fit(new float[4], 2, 2, three), "3 components need at least 3 rows, found 2");
        float[] nan = Mixtures.threeBlobs().sample(50, 1).x();
        nan[2 * 7 + 1] = Float.NaN;
        assertMessage(() -> GaussianMixture.fit(nan, 50, 2, three), "row 7, column 1 is NaN");
        float[] inf = Mixtures.threeBlobs().sample(50, 1).x();
        inf[0] = Float.POSITIVE_INFINITY;
        assertMessage(() -> GaussianMixture.fit(inf, 50, 2, three), "row 0, column 0 is Infinity");
        assertMessage(() -> GaussianMixture.fit(new float[5], 3, 2, three), "need 6 values, found 5");
        float[] constant = Mixtures.threeBlobs().sample(50, 1).x();
        for (int r = 0; r < 50; r++) {
            constant[2 * r + 1] = 4f;
        }
        assertMessage(() -> GaussianMixture.fit(constant, 50, 2, three.toBuilder().regCovar(0).build()),
                "column 1 is constant");
        // with the default regularisation the same data fits
        assertTrue(Double.isFinite(GaussianMixture.fit(constant, 50, 2, three).lowerBound()));
        assertMessage(() -> GmmConfig.builder(0), "at least 1 component");
        assertMessage(() -> GmmConfig.builder(2).tol(Double.NaN), "tol must be a finite number");
        assertMessage(() -> GmmConfig.builder(2).regCovar(-1), "regCovar must be");
        assertMessage(() -> GaussianMixture.of(CovarianceType.DIAG, new double[] {0.5, 0.6}, new double[] {0, 1},
                new double[] {1, 1}), "weights sum to 1.1");
        assertMessage(() -> GaussianMixture.of(CovarianceType.FULL, new double[] {1}, new double[] {0, 1},
                new double[] {1, 2, 2, 1}), "not positive definite");
        assertMessage(() -> Mixtures.threeBlobs().score(new float[] {1f, Float.NaN}, 1), "row 0, column 1 is NaN");
    }

    private static void assertMessage(Runnable r, String expected) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, r::run);
        assertTrue(e.getMessage().contains(expected), "expected '" + expected + "' in: " + e.getMessage());
    }

    @Test
    void affineMapsAMixtureOntoRescaledFeatures() {
        GaussianMixture m = Mixtures.threeBlobs();
        double[] scale = {2.0, 0.5};
        double[] shift = {10, -3};
        GaussianMixture moved = m.affine(scale, shift);
        GmmSample s = m.sample(50, 3);
        float[] y = s.x().clone();
        for (int r = 0; r < 50; r++) {
            y[2 * r] = (float) (s.x()[2 * r] * 2.0 + 10);
            y[2 * r + 1] = (float) (s.x()[2 * r + 1] * 0.5 - 3);
        }
        double[] a = m.scoreSamples(s.x(), 50);
        double[] b = moved.scoreSamples(y, 50);
        for (int r = 0; r < 50; r++) {
            assertEquals(a[r] - Math.log(2.0 * 0.5), b[r], 1e-5, "row " + r);
        }
    }

    @Test
    void scoringIsTheSameOnEveryThread() throws Exception {
        GaussianMixture m = GaussianMixture.fit(Mixtures.threeBlobs().sample(2000, 5).x(), 2000, 2,
                GmmConfig.builder(3).covarianceType(CovarianceType.DIAG).build());
        GmmSample s = m.sample(3000, 6);
        double[] expected = m.scoreSamples(s.x(), 3000);
        Thread[] threads = new Thread[4];
        boolean[] ok = new boolean[threads.length];
        for (int t = 0; t < threads.length; t++) {
            int id = t;
            threads[t] = new Thread(() -> {
                boolean same = true;
                for (int i = 0; i < 20; i++) {
                    same &= Arrays.equals(expected, m.scoreSamples(s.x(), 3000));
                }
                ok[id] = same;
            });
            threads[t].start();
        }
        for (Thread t : threads) {
            t.join();
        }
        for (boolean b : ok) {
            assertTrue(b);
        }
        // row by row gives the same bits as the batch
        for (int r = 0; r < 50; r++) {
            assertEquals(expected[r], m.scoreSamples(Arrays.copyOfRange(s.x(), 2 * r, 2 * r + 2), 1)[0], 0.0);
        }
    }
}
