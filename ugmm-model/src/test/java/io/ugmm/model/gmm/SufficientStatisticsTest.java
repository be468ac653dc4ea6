package io.ugmm.model.gmm;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** EM run step by step through the public hooks (as ugmm-spark runs it) against {@link GaussianMixture#fit}. */
class SufficientStatisticsTest {
    private static final int ROWS = 1500;
    private static final GmmSample DATA = Mixtures.threeBlobs().sample(ROWS, 11);

    /** EM by hand: each iteration's statistics summed over the given pieces of the rows, in order. */
    private static GaussianMixture stepwise(GmmConfig config, int run, int[] pieceStarts) {
        GaussianMixture model = GaussianMixture.initialize(DATA.x(), ROWS, 2, config, run);
        double bound = Double.NEGATIVE_INFINITY;
        boolean converged = false;
        int iteration = 0;
        while (iteration < config.maxIter() && !converged) {
            iteration++;
            SufficientStatistics total = SufficientStatistics.of(model);
            for (int p = 0; p < pieceStarts.length; p++) {
                int from = pieceStarts[p];
                int to = p + 1 < pieceStarts.length ? pieceStarts[p + 1] : ROWS;
                SufficientStatistics piece = SufficientStatistics.of(model);
                piece.addExpectation(model, DATA.x(), from, to - from);
                total.addAll(piece);
            }
            assertEquals(ROWS, total.rows());
            double previous = bound;
            bound = total.logLikelihood() / total.rows();
            converged = config.converged(previous, bound);
            model = total.maximize(model, config.regCovar());
        }
        return model.withFitInfo(converged, iteration, bound);
    }

    private static int[] rowChunkStarts() {
        int chunks = RowChunks.chunkCount(ROWS);
        int[] starts = new int[chunks];
        for (int c = 0; c < chunks; c++) {
            starts[c] = RowChunks.start(ROWS, chunks, c);
        }
        return starts;
    }

    @ParameterizedTest
    @EnumSource(CovarianceType.class)
    void stepsOverFitsOwnChunksGiveFitsResultBitForBit(CovarianceType type) {
        GmmConfig config = GmmConfig.builder(3).covarianceType(type).maxIter(7).tol(0).seed(3).build();
        GaussianMixture fit = GaussianMixture.fit(DATA.x(), ROWS, 2, config);
        GaussianMixture steps = stepwise(config, 0, rowChunkStarts());
        assertArrayEquals(fit.weights(), steps.weights());
        assertArrayEquals(fit.means(), steps.means());
        assertArrayEquals(fit.covariances(), steps.covariances());
        assertEquals(fit.lowerBound(), steps.lowerBound());
        assertEquals(fit.iterations(), steps.iterations());
    }

    @ParameterizedTest
    @EnumSource(CovarianceType.class)
    void otherPiecesOnlyChangeRounding(CovarianceType type) {
        GmmConfig config = GmmConfig.builder(3).covarianceType(type).maxIter(100).tol(1e-6).seed(3).build();
        GaussianMixture fit = GaussianMixture.fit(DATA.x(), ROWS, 2, config);
        GaussianMixture steps = stepwise(config, 0, new int[] {0, 1, 700, 703, 1499});
        // float moments (diag, spherical) are summed in other groups of rows; double ones only reordered
        double tolerance = type == CovarianceType.DIAG || type == CovarianceType.SPHERICAL ? 1e-6 : 1e-11;
        assertClose(fit.weights(), steps.weights(), tolerance);
        assertClose(fit.means(), steps.means(), tolerance);
        assertClose(fit.covariances(), steps.covariances(), tolerance);
        assertEquals(fit.lowerBound(), steps.lowerBound(), tolerance);
        assertEquals(fit.iterations(), steps.iterations());
        assertTrue(steps.converged());
    }

    private static void assertClose(double[] expected, double[] actual, double relative) {
        assertEquals(expected.length, actual.length);
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual[i], relative * Math.max(1, Math.abs(expected[i])), "value " + i);
        }
    }

    @Test
    void eachRunStartsWhereFitStartsIt() {
        GmmConfig config = GmmConfig.builder(3).nInit(3).maxIter(5).tol(0).seed(8).init(InitMethod.RANDOM).build();
        GaussianMixture best = null;
        for (int run = 0; run < 3; run++) {
            GaussianMixture m = stepwise(config, run, rowChunkStarts());
            if (best == null || m.lowerBound() > best.lowerBound()) {
                best = m;
            }
        }
        GaussianMixture fit = GaussianMixture.fit(DATA.x(), ROWS, 2, config);
        assertArrayEquals(fit.means(), best.means());
        assertEquals(fit.lowerBound(), best.lowerBound());
        assertFalse(java.util.Arrays.equals(GaussianMixture.initialize(DATA.x(), ROWS, 2, config, 0).means(),
                GaussianMixture.initialize(DATA.x(), ROWS, 2, config, 1).means()), "runs start apart");
        // a given initial model is where every run starts
        GaussianMixture given = Mixtures.threeBlobs();
        assertArrayEquals(given.means(), GaussianMixture.initialize(DATA.x(), ROWS, 2,
                GmmConfig.builder(3).initialModel(given).build(), 0).means());
    }

    @Test
    void statisticsSurviveSerialisation() throws Exception {
        GaussianMixture model = GaussianMixture.initialize(DATA.x(), ROWS, 2,
                GmmConfig.builder(3).covarianceType(CovarianceType.DIAG).build(), 0);
        SufficientStatistics a = SufficientStatistics.of(model);
        a.addExpectation(model, DATA.x(), 0, 21); // not a multiple of the float flush: pending sums travel too
        SufficientStatistics b = SufficientStatistics.of(model);
        b.addExpectation(model, DATA.x(), 21, ROWS - 21);
        SufficientStatistics direct = SufficientStatistics.of(model);
        direct.addAll(a);
        direct.addAll(b);
        SufficientStatistics shipped = SufficientStatistics.of(model);
        shipped.addAll(copy(a));
        shipped.addAll(copy(b));
        assertEquals(direct.logLikelihood(), shipped.logLikelihood());
        assertEquals(ROWS, shipped.rows());
        assertArrayEquals(direct.maximize(model, 1e-6).means(), shipped.maximize(model, 1e-6).means());
        assertArrayEquals(direct.maximize(model, 1e-6).covariances(), shipped.maximize(model, 1e-6).covariances());
    }

    private static SufficientStatistics copy(SufficientStatistics s) throws IOException, ClassNotFoundException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(s);
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            return (SufficientStatistics) in.readObject();
        }
    }

    @ParameterizedTest
    @EnumSource(CovarianceType.class)
    void scoreRowsIsPredictPredictProbaAndScoreSamplesInOnePass(CovarianceType type) {
        GaussianMixture m = GaussianMixture.fit(DATA.x(), ROWS, 2,
                GmmConfig.builder(3).covarianceType(type).maxIter(3).build());
        int[] component = new int[ROWS];
        double[] p = new double[ROWS * 3];
        double[] log = new double[ROWS];
        m.scoreRows(DATA.x(), 0, 600, component, p, log);
        m.scoreRows(DATA.x(), 600, ROWS - 600, component, null, null);
        m.scoreRows(DATA.x(), 600, ROWS - 600, null, p, log);
        assertArrayEquals(m.predict(DATA.x(), ROWS), component);
        assertArrayEquals(m.predictProba(DATA.x(), ROWS), p);
        assertArrayEquals(m.scoreSamples(DATA.x(), ROWS), log);
    }

    @Test
    void misuseIsAClearError() {
        GaussianMixture diag = GaussianMixture.initialize(DATA.x(), ROWS, 2,
                GmmConfig.builder(3).covarianceType(CovarianceType.DIAG).build(), 0);
        GaussianMixture full = Mixtures.threeBlobs();
        SufficientStatistics s = SufficientStatistics.of(diag);
        assertMessage(() -> s.addExpectation(full, DATA.x(), 0, 10), "cannot take a mixture of 3 full components");
        assertMessage(() -> s.addAll(SufficientStatistics.of(full)), "cannot add statistics of 3 full components");
        assertMessage(() -> s.maximize(diag, 1e-6), "no rows were added");
        assertMessage(() -> s.addExpectation(diag, DATA.x(), ROWS - 1, 2), "outside the 3000 values");
        float[] nan = DATA.x().clone();
        nan[2 * 9 + 1] = Float.NaN;
        assertMessage(() -> s.addExpectation(diag, nan, 5, 10), "row 9, column 1 is NaN");
        assertMessage(() -> diag.scoreRows(nan, 0, 10, new int[10], null, null), "row 9, column 1 is NaN");
        assertMessage(() -> diag.scoreRows(DATA.x(), 0, 10, new int[9], null, null), "fewer than the 10 rows");
        assertMessage(() -> GaussianMixture.initialize(DATA.x(), ROWS, 2, GmmConfig.builder(3).build(), 1),
                "run 1 of 1");
        assertMessage(() -> GaussianMixture.initialize(DATA.x(), 2, 2, GmmConfig.builder(3).build(), 0),
                "need 4 values");
    }

    private static void assertMessage(Runnable r, String expected) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, r::run);
        assertTrue(e.getMessage().contains(expected), "expected '" + expected + "' in: " + e.getMessage());
    }
}
