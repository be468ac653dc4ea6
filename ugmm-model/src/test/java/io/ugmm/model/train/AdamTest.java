package io.ugmm.model.train;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class AdamTest {

    @Test
    void firstStepMovesEachParameterByTheLearningRateAgainstItsGradient() {
        // step 1: m/(1-b1) = g and sqrt(v/(1-b2)) = |g|, so p -= lr * g / (|g| + eps)
        Adam adam = Adam.standard();
        float[] p = {1f, -2f, 0.5f};
        float[] g = {0.25f, -4f, 1e-3f};
        float[] m = new float[3];
        float[] v = new float[3];
        adam.beginStep();
        adam.update(p, 0, g, 0, m, v, 0, 3, 0.01);
        assertEquals(1f - 0.01f, p[0], 1e-7);
        assertEquals(-2f + 0.01f, p[1], 1e-7);
        assertEquals(0.5f - 0.01f * 1e-3f / (1e-3f + 1e-8f), p[2], 1e-7);
        assertEquals(0.025f, m[0], 1e-9);
        assertEquals(0.001f * 0.0625f, v[0], 1e-10);
    }

    @Test
    void secondStepMatchesTheFormulaInDouble() {
        Adam adam = Adam.standard();
        float[] p = {0.3f};
        float[] m = new float[1];
        float[] v = new float[1];
        double g1 = 0.7;
        double g2 = -0.2;
        adam.beginStep();
        adam.update(p, 0, new float[]{(float) g1}, 0, m, v, 0, 1, 1e-3);
        adam.beginStep();
        adam.update(p, 0, new float[]{(float) g2}, 0, m, v, 0, 1, 1e-3);
        double mm = 0.9 * 0.1 * g1 + 0.1 * g2;
        double vv = 0.999 * 0.001 * g1 * g1 + 0.001 * g2 * g2;
        double expected = 0.3 - 1e-3 * Math.signum(g1)
                - 1e-3 / (1 - 0.81) * mm / (Math.sqrt(vv) / Math.sqrt(1 - 0.999 * 0.999) + 1e-8);
        assertEquals(expected, p[0], 1e-7);
        assertEquals(2, adam.steps());
    }

    @Test
    void updateBeforeBeginStepAndBadSettingsAreRefused() {
        assertThrows(IllegalStateException.class,
                () -> Adam.standard().update(new float[1], 0, new float[1], 0, new float[1], new float[1], 0, 1, 1e-3));
        assertThrows(IllegalArgumentException.class, () -> new Adam(1.0, 0.999, 1e-8));
        assertThrows(IllegalArgumentException.class, () -> new Adam(0.9, 0.999, 0));
    }
}
