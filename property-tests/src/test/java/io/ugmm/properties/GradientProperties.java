package io.ugmm.properties;

import io.ugmm.model.UgmmLayer;
import io.ugmm.model.UgmmNetwork;
import io.ugmm.model.train.DropoutMask;
import io.ugmm.model.train.Gradients;
import io.ugmm.model.train.Loss;
import io.ugmm.simd.MixtureKernel;
import io.ugmm.simd.MixtureKernels;
import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Every analytic gradient of training (mu, std, k of every layer, and the inputs; both losses; with and
 * without a fixed dropout mask) against central finite differences of a double-precision network, on
 * random small networks; and the vector kernel's gradients against the scalar kernel's.
 */
class GradientProperties {

    /** A random small network, data and (optionally) a dropout mask, all from one seed. */
    private record Case(UgmmNetwork net, float[] x, int rows, int[] labels, Loss loss, boolean[][] dropped) {
        static Case random(long seed, boolean generative, boolean dropout) {
            SplittableRandom random = new SplittableRandom(seed);
            int inputs = 2 + random.nextInt(3);
            int hidden = 2 + random.nextInt(3);
            int outputs = generative ? 1 : 2 + random.nextInt(2);
            int[] widths = {inputs, hidden, outputs};
            List<UgmmLayer> layers = new ArrayList<>();
            for (int l = 0; l < 2; l++) {
                int size = widths[l] * widths[l + 1];
                float[] mu = new float[size];
                float[] logStd = new float[size];
                float[] k = new float[size];
                for (int e = 0; e < size; e++) {
                    // hidden-layer outputs are log-densities around -2..-6: centre the second layer there
                    mu[e] = (float) ((l == 0 ? 0 : -3) + random.nextDouble() * 3 - 1.5);
                    logStd[e] = (float) (random.nextDouble() * 1.7 - 0.8);
                    k[e] = (float) (random.nextDouble() * 2 - 1);
                }
                layers.add(UgmmLayer.of(widths[l], widths[l + 1], mu, logStd, k));
            }
            int rows = 1 + random.nextInt(4);
            float[] x = new float[rows * inputs];
            for (int e = 0; e < x.length; e++) {
                x[e] = (float) (random.nextDouble() * 4 - 2);
            }
            int[] labels = null;
            if (!generative) {
                labels = new int[rows];
                for (int b = 0; b < rows; b++) {
                    labels[b] = random.nextInt(outputs);
                }
            }
            boolean[][] dropped = null;
            if (dropout) {
                dropped = new boolean[2][];
                for (int l = 0; l < 2; l++) {
                    boolean[] d = new boolean[widths[l] * widths[l + 1]];
                    for (int j = 0; j < widths[l + 1]; j++) {
                        int keep = random.nextInt(widths[l]);
                        for (int i = 0; i < widths[l]; i++) {
                            d[j * widths[l] + i] = i != keep && random.nextDouble() < 0.4;
                        }
                    }
                    dropped[l] = d;
                }
            }
            return new Case(UgmmNetwork.of(layers), x, rows, labels, generative ? Loss.NEGATIVE_LOG_LIKELIHOOD
                    : Loss.CROSS_ENTROPY, dropped);
        }

        int[] widths() {
            int[] w = new int[net.layers().size() + 1];
            w[0] = net.inputs();
            for (int l = 0; l < net.layers().size(); l++) {
                w[l + 1] = net.layers().get(l).nodes();
            }
            return w;
        }

        Gradients analytic(MixtureKernel kernel) {
            DropoutMask mask = dropped == null ? null : DropoutMask.of(widths(), dropped);
            return Gradients.compute(net.withKernel(kernel), x, rows, labels, loss, mask);
        }
    }

    private static void assertClose(double[] numeric, float[] analytic, String what) {
        double scale = 0;
        for (double v : numeric) {
            scale = Math.max(scale, Math.abs(v));
        }
        for (int e = 0; e < numeric.length; e++) {
            assertEquals(numeric[e], analytic[e], 1e-3 * scale + 2e-4, what + " entry " + e);
        }
    }

    private static double central(java.util.function.DoubleSupplier loss, double[] p, int e) {
        double keep = p[e];
        double h = 1e-5 * Math.max(1, Math.abs(keep));
        p[e] = keep + h;
        double up = loss.getAsDouble();
        p[e] = keep - h;
        double down = loss.getAsDouble();
        p[e] = keep;
        return (up - down) / (2 * h);
    }

    @Property(tries = 40)
    void gradientsMatchFiniteDifferences(@ForAll long seed, @ForAll boolean generative, @ForAll boolean dropout) {
        Case c = Case.random(seed, generative, dropout);
        DoubleNetwork ref = new DoubleNetwork(c.net(), c.dropped());
        double[] x = DoubleNetwork.toDouble(c.x());
        double loss = ref.loss(x, c.rows(), c.labels());
        Assume.that(Double.isFinite(loss));
        Gradients g = c.analytic(MixtureKernels.preferred());
        assertEquals(loss, g.loss(), 1e-4 * Math.max(1, Math.abs(loss)), "loss");
        String[] names = {"mu", "std", "k"};
        for (int l = 0; l < ref.params.length; l++) {
            float[][] analytic = {g.mu(l), g.logStd(l), g.logits(l)};
            for (int which = 0; which < 3; which++) {
                double[] p = ref.params[l][which];
                double[] numeric = new double[p.length];
                for (int e = 0; e < p.length; e++) {
                    numeric[e] = central(() -> ref.loss(x, c.rows(), c.labels()), p, e);
                }
                assertClose(numeric, analytic[which], c.loss() + " layer " + l + " " + names[which]);
            }
        }
        double[] numericX = new double[x.length];
        for (int e = 0; e < x.length; e++) {
            numericX[e] = central(() -> ref.loss(x, c.rows(), c.labels()), x, e);
        }
        assertClose(numericX, g.inputs(), c.loss() + " inputs");
    }

    @Property(tries = 40)
    void vectorGradientsEqualScalarGradients(@ForAll long seed, @ForAll boolean generative, @ForAll boolean dropout) {
        MixtureKernel vector = MixtureKernels.vector().orElse(null);
        Assume.that(vector != null);
        Case c = Case.random(seed, generative, dropout);
        Gradients v = c.analytic(vector);
        Gradients s = c.analytic(MixtureKernels.scalar());
        for (int l = 0; l < c.net().layers().size(); l++) {
            assertSameGradients(s.mu(l), v.mu(l), "mu " + l);
            assertSameGradients(s.logStd(l), v.logStd(l), "std " + l);
            assertSameGradients(s.logits(l), v.logits(l), "k " + l);
        }
        assertSameGradients(s.inputs(), v.inputs(), "inputs");
    }

    /**
     * Vector against scalar gradients, entry by entry relative to the largest entry of the same block: both
     * kernels compute the same float terms; they differ by the exp2 polynomial and the order of float sums
     * (forward outputs a few 1e-7 apart), which the second layer's sensitivity (1/sigma^2, at most e^1.6 ~ 5
     * here) and the backward accumulation carry into the gradients: measured up to 1e-4 of the block's
     * largest entry: between 2e-6 and 2e-5 over 2000 cases, so 5e-5 with an absolute floor of 1e-7. The
     * finite-difference tolerance used before (1e-3 of the largest entry, plus 2e-4) let a kernel that drops
     * every weighted responsibility below 2^-20 pass (tried; this tolerance fails it). A wrong term or a lost lane is off by order 1.
     */
    private static void assertSameGradients(float[] scalar, float[] vector, String what) {
        double scale = 0;
        for (float v : scalar) {
            scale = Math.max(scale, Math.abs(v));
        }
        for (int e = 0; e < scalar.length; e++) {
            assertEquals(scalar[e], vector[e], VECTOR_VS_SCALAR * scale + 1e-7, what + " entry " + e);
        }
    }

    private static final double VECTOR_VS_SCALAR = 5e-5;

    private static double[] toDouble(float[] a) {
        return DoubleNetwork.toDouble(a);
    }
}
