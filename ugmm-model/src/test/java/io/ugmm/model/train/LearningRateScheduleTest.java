package io.ugmm.model.train;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class LearningRateScheduleTest {

    @Test
    void dropsByGammaAtEachMilestoneLikeMultiStepLr() {
        LearningRateSchedule s = LearningRateSchedule.steps(1e-2, 0.1, 45, 20);
        assertEquals(1e-2, s.rate(0), 1e-15);
        assertEquals(1e-2, s.rate(19), 1e-15);
        assertEquals(1e-3, s.rate(20), 1e-15);
        assertEquals(1e-3, s.rate(44), 1e-15);
        assertEquals(1e-4, s.rate(45), 1e-15);
        assertEquals(1e-4, s.rate(1000), 1e-15);
    }

    @Test
    void constantNeverChanges() {
        LearningRateSchedule s = LearningRateSchedule.constant(3e-4);
        assertEquals(3e-4, s.rate(0));
        assertEquals(3e-4, s.rate(500));
    }

    @Test
    void badValuesAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> LearningRateSchedule.constant(0));
        assertThrows(IllegalArgumentException.class, () -> LearningRateSchedule.constant(Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> LearningRateSchedule.steps(1e-3, 1.5, 3));
        assertThrows(IllegalArgumentException.class, () -> LearningRateSchedule.steps(1e-3, 0.1, -1));
    }
}
