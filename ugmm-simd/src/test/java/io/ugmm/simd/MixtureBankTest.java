package io.ugmm.simd;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MixtureBankTest {
    @Test
    void rejectsWrongLengthsNamingTheArray() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> MixtureBank.of(2, 3, new float[6], new float[5], new float[6]));
        assertTrue(e.getMessage().contains("logStd has 5 values; expected 6"), e.getMessage());
    }

    @Test
    void rejectsNonFiniteParametersNamingTheIndex() {
        float[] mean = new float[6];
        mean[4] = Float.NaN;
        var e = assertThrows(IllegalArgumentException.class,
                () -> MixtureBank.of(2, 3, mean, new float[6], new float[6]));
        assertTrue(e.getMessage().contains("mean[1][1] is NaN"), e.getMessage());
        float[] logWeights = new float[6];
        logWeights[0] = Float.POSITIVE_INFINITY;
        e = assertThrows(IllegalArgumentException.class,
                () -> MixtureBank.of(2, 3, new float[6], new float[6], logWeights));
        assertTrue(e.getMessage().contains("logWeights[0][0]"), e.getMessage());
    }

    @Test
    void rejectsSigmaWhoseInverseOverflows() {
        float[] logStd = new float[1];
        logStd[0] = -100f;
        var e = assertThrows(IllegalArgumentException.class,
                () -> MixtureBank.of(1, 1, new float[1], logStd, new float[1]));
        assertTrue(e.getMessage().contains("logStd[0][0]"), e.getMessage());
    }

    @Test
    void termIsTheLogWeightedGaussianDensity() {
        float mu = 0.5f;
        float logSigma = (float) Math.log(0.3);
        float logW = (float) Math.log(0.25);
        MixtureBank bank = MixtureBank.of(1, 1, new float[] {mu}, new float[] {logSigma}, new float[] {logW});
        double sigma = Math.exp(logSigma);
        double x = 0.9;
        double expected = logW - Math.log(sigma) - 0.5 * Math.log(2 * Math.PI)
                - (x - mu) * (x - mu) / (2 * sigma * sigma);
        assertEquals(expected, bank.term(0, 0, (float) x), 1e-6);
        assertEquals(expected + (x - mu) * (x - mu) / (2 * sigma * sigma), bank.bias()[0], 1e-6);
    }
}
