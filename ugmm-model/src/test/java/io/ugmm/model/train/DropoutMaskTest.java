package io.ugmm.model.train;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DropoutMaskTest {

    @Test
    void dropsAboutTheRequestedFractionIndependentlyPerLayer() {
        int[] widths = {200, 100, 10};
        DropoutMask mask = DropoutMask.draw(widths, new double[]{0.3, 0}, new SplittableRandom(1));
        // 20 000 Bernoulli(0.3) draws: standard deviation 0.0032, so 0.3 +- 0.015 is about 5 sigma
        assertEquals(0.3, mask.droppedFraction(0), 0.015);
        assertEquals(0, mask.droppedFraction(1));
        assertTrue(mask.hasDropout(0));
        assertFalse(mask.hasDropout(1));
        // per node too: no node is systematically spared (each of 100 nodes has 200 draws)
        int[] perNode = new int[100];
        for (int j = 0; j < 100; j++) {
            for (int i = 0; i < 200; i++) {
                perNode[j] += mask.dropped(0, j, i) ? 1 : 0;
            }
            assertTrue(perNode[j] > 30 && perNode[j] < 95, "node " + j + " dropped " + perNode[j] + "/200");
        }
    }

    @Test
    void eachComponentIsDroppedWhenItsUniformDrawIsBelowTheRate() {
        // the definition the mask keeps (every seed's training results depend on it): one nextDouble() per
        // component in row-major order, dropped when below p; redraw compares integers instead of doubles
        int[] widths = {97, 64, 10};
        for (double p : new double[] {0.3, 0.5, 0.1 + 1e-17, Math.nextUp(0.25), Math.nextDown(0.25), 1e-300, 0.999}) {
            DropoutMask mask = DropoutMask.draw(widths, new double[] {p, p}, new SplittableRandom(11));
            SplittableRandom reference = new SplittableRandom(11);
            for (int l = 0; l < 2; l++) {
                for (int j = 0; j < widths[l + 1]; j++) {
                    boolean allDropped = true;
                    boolean[] expected = new boolean[widths[l]];
                    for (int i = 0; i < widths[l]; i++) {
                        expected[i] = reference.nextDouble() < p;
                        allDropped &= expected[i];
                    }
                    if (allDropped) {
                        expected[reference.nextInt(widths[l])] = false;
                    }
                    for (int i = 0; i < widths[l]; i++) {
                        assertEquals(expected[i], mask.dropped(l, j, i), "p " + p + " layer " + l + " node " + j
                                + " input " + i);
                    }
                }
            }
        }
    }

    @Test
    void aNodeWhoseComponentsWouldAllBeDroppedKeepsExactlyOne() {
        int[] widths = {3, 500};
        // at p = 0.95 about 0.95^3 = 86 % of nodes would lose every component
        DropoutMask mask = DropoutMask.draw(widths, new double[]{0.95}, new SplittableRandom(7));
        int guarded = 0;
        for (int j = 0; j < 500; j++) {
            int kept = 0;
            for (int i = 0; i < 3; i++) {
                kept += mask.dropped(0, j, i) ? 0 : 1;
            }
            assertTrue(kept >= 1, "node " + j + " kept no component");
            guarded += kept == 1 ? 1 : 0;
        }
        assertTrue(guarded > 400, "expected most nodes to keep exactly one component, found " + guarded);
        float[] logits = new float[3 * 500];
        float[] logWeights = mask.logWeights(0, logits, new float[logits.length]);
        for (int j = 0; j < 500; j++) {
            double sum = 0;
            for (int i = 0; i < 3; i++) {
                sum += Math.exp(logWeights[j * 3 + i]);
            }
            assertEquals(1, sum, 1e-6, "weights of node " + j + " must still sum to one");
        }
    }

    @Test
    void droppedLogitsVanishAndTheRestRenormaliseWithoutRescaling() {
        int[] widths = {3, 1};
        DropoutMask mask = DropoutMask.of(widths, new boolean[][]{{false, true, false}});
        float[] lw = mask.logWeights(0, new float[]{0f, 5f, (float) Math.log(3)}, new float[3]);
        assertEquals(Float.NEGATIVE_INFINITY, lw[1]);
        assertEquals(Math.log(0.25), lw[0], 1e-6);
        assertEquals(Math.log(0.75), lw[2], 1e-6);
    }

    @Test
    void aGivenMaskThatDropsAWholeNodeIsRefused() {
        int[] widths = {2, 2};
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> DropoutMask.of(widths, new boolean[][]{{false, false, true, true}}));
        assertTrue(e.getMessage().contains("node 1"), e.getMessage());
    }

    @Test
    void sameSeedSameMask() {
        int[] widths = {20, 10};
        DropoutMask a = DropoutMask.draw(widths, new double[]{0.5}, new SplittableRandom(3));
        DropoutMask b = DropoutMask.draw(widths, new double[]{0.5}, new SplittableRandom(3));
        for (int j = 0; j < 10; j++) {
            for (int i = 0; i < 20; i++) {
                assertEquals(a.dropped(0, j, i), b.dropped(0, j, i));
            }
        }
    }

    /**
     * A dropped component takes no part in the forward pass, so every gradient of its parameters is exactly 0,
     * on both kernels (the logits' gradient relies on the kernels' log-weight gradient being exactly 0 there).
     */
    @Test
    void droppedComponentsGetExactlyZeroGradients() {
        io.ugmm.model.UgmmNetwork net = io.ugmm.model.UgmmNetwork.builder(37).layer(9).layer(3).seed(5).build();
        int rows = 6;
        float[] x = new float[rows * 37];
        SplittableRandom random = new SplittableRandom(8);
        for (int e = 0; e < x.length; e++) {
            x[e] = (float) random.nextDouble();
        }
        int[] labels = {0, 1, 2, 0, 1, 2};
        DropoutMask mask = DropoutMask.draw(new int[]{37, 9, 3}, new double[]{0.4, 0.3}, new SplittableRandom(2));
        java.util.List<io.ugmm.simd.MixtureKernel> kernels = new java.util.ArrayList<>();
        kernels.add(io.ugmm.simd.MixtureKernels.scalar());
        io.ugmm.simd.MixtureKernels.vector().ifPresent(kernels::add);
        for (io.ugmm.simd.MixtureKernel kernel : kernels) {
            Gradients g = Gradients.compute(net.withKernel(kernel), x, rows, labels, Loss.CROSS_ENTROPY, mask);
            int droppedSeen = 0;
            int[] widths = {37, 9, 3};
            for (int l = 0; l < 2; l++) {
                float[] mu = g.mu(l);
                float[] logStd = g.logStd(l);
                float[] logits = g.logits(l);
                for (int j = 0; j < widths[l + 1]; j++) {
                    for (int i = 0; i < widths[l]; i++) {
                        int e = j * widths[l] + i;
                        if (mask.dropped(l, j, i)) {
                            droppedSeen++;
                            String what = kernel.name() + " layer " + l + " [" + j + "][" + i + "]";
                            assertEquals(0f, logits[e], what + " logit");
                            assertEquals(0f, mu[e], what + " mean");
                            assertEquals(0f, logStd[e], what + " log std");
                        } else {
                            assertTrue(logits[e] != 0f, kernel.name() + " a kept logit has a gradient");
                        }
                    }
                }
            }
            assertTrue(droppedSeen > 100, "the mask drops " + droppedSeen);
        }
    }

    @Test
    void theTrainingPathsFloatLogSoftmaxAgreesWithTheDoubleOneOnEveryKernel() {
        int[] widths = {784, 64};
        DropoutMask mask = DropoutMask.draw(widths, new double[] {0.3}, new SplittableRandom(5));
        SplittableRandom random = new SplittableRandom(6);
        float[] logits = new float[784 * 64];
        for (int e = 0; e < logits.length; e++) {
            logits[e] = (float) (random.nextGaussian() * (e < 784 ? 30 : 2)); // node 0: widely spread logits
        }
        float[] exactWeights = new float[logits.length];
        float[] exact = mask.logWeights(0, logits, new float[logits.length], exactWeights);
        java.util.List<io.ugmm.simd.MixtureKernel> kernels = new java.util.ArrayList<>();
        kernels.add(io.ugmm.simd.MixtureKernels.scalar());
        io.ugmm.simd.MixtureKernels.vector().ifPresent(kernels::add);
        for (io.ugmm.simd.MixtureKernel kernel : kernels) {
            float[] logW = new float[logits.length];
            float[] w = new float[logits.length];
            mask.logWeights(kernel, 0, logits, logW, w, 10, 64);
            mask.logWeights(kernel, 0, logits, logW, w, 0, 10);
            for (int e = 0; e < logits.length; e++) {
                String what = kernel.name() + " entry " + e;
                if (mask.dropped(0, e / 784, e % 784)) {
                    assertEquals(Float.NEGATIVE_INFINITY, logW[e], what);
                    assertEquals(0f, w[e], what + ": a dropped weight is exactly 0");
                } else {
                    // float log-softmax: the sum's rounding (~1e-7 relative) moves every entry by ~1e-7
                    assertEquals(exact[e], logW[e], 2e-6 + 1e-6 * Math.abs(exact[e]), what);
                    assertEquals(exactWeights[e], w[e], 2e-6 * exactWeights[e] * (1 + Math.abs(exact[e])) + 0x1p-120, what);
                }
            }
        }
    }

    @Test
    void aReusableMaskRedrawnInPlaceIsTheMaskDrawFromTheSameRandomState() {
        int[] widths = {30, 20, 5};
        double[] rates = {0.4, 0};
        SplittableRandom a = new SplittableRandom(9);
        SplittableRandom b = new SplittableRandom(9);
        DropoutMask reusable = DropoutMask.reusable(widths, rates);
        assertEquals(0, reusable.droppedFraction(0), "nothing dropped before the first redraw");
        for (int step = 0; step < 3; step++) {
            reusable.redraw(rates, a);
            DropoutMask drawn = DropoutMask.draw(widths, rates, b);
            for (int j = 0; j < 20; j++) {
                for (int i = 0; i < 30; i++) {
                    assertEquals(drawn.dropped(0, j, i), reusable.dropped(0, j, i), "step " + step + " [" + j + "][" + i + "]");
                }
            }
            assertFalse(reusable.hasDropout(1));
            assertTrue(reusable.droppedFraction(0) > 0.2, "step " + step);
        }
    }
}
