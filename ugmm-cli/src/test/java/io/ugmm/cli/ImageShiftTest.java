package io.ugmm.cli;

import io.ugmm.model.FeatureStandardization;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ImageShiftTest {

    @Test
    void movesAnInteriorDotByAtMostTheMaximumAndKeepsItWhole() {
        ImageShift shift = new ImageShift(25, 1, null);
        SplittableRandom random = new SplittableRandom(3);
        boolean moved = false;
        for (int trial = 0; trial < 50; trial++) {
            float[] img = new float[25];
            img[2 * 5 + 2] = 1f; // centre of a 5x5 image
            shift.apply(img, 0, 25, random);
            int at = -1;
            float total = 0;
            for (int i = 0; i < 25; i++) {
                total += img[i];
                if (img[i] == 1f) {
                    at = i;
                }
            }
            assertEquals(1f, total);
            assertTrue(Math.abs(at / 5 - 2) <= 1 && Math.abs(at % 5 - 2) <= 1, "dot landed at " + at);
            moved |= at != 12;
        }
        assertTrue(moved);
    }

    @Test
    void standardisedRowsAreShiftedInPixelSpace() {
        // pixel i has mean i and std 2: a blank raw image standardises to -i/2 everywhere and must stay blank
        double[] mean = new double[9];
        double[] std = new double[9];
        for (int i = 0; i < 9; i++) {
            mean[i] = i;
            std[i] = 2;
        }
        FeatureStandardization scaling = FeatureStandardization.of(mean, std);
        ImageShift shift = new ImageShift(9, 1, scaling);
        float[] row = new float[9];
        for (int i = 0; i < 9; i++) {
            row[i] = -i / 2f;
        }
        shift.apply(row, 0, 9, new SplittableRandom(1));
        for (int i = 0; i < 9; i++) {
            assertEquals(-i / 2f, row[i], 1e-6);
        }
    }

    @Test
    void nonSquareRowsAndBadShiftsAreRefused() {
        assertThrows(UsageException.class, () -> new ImageShift(10, 1, null));
        assertThrows(UsageException.class, () -> new ImageShift(9, 3, null));
    }
}
