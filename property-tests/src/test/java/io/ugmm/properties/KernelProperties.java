package io.ugmm.properties;

import io.ugmm.model.UgmmLayer;
import io.ugmm.model.UgmmNetwork;
import io.ugmm.simd.MixtureBank;
import io.ugmm.simd.MixtureKernel;
import io.ugmm.simd.MixtureKernels;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.FloatRange;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Properties of the mixture kernels and of single uGMM nodes. */
class KernelProperties {
    private static final MixtureKernel VECTOR = MixtureKernels.vector().orElseThrow(
            () -> new AssertionError("vector kernel unavailable: " + MixtureKernels.vectorUnavailableReason()));

    /** A layer with its shape, generated from bounded parameter values. */
    record LayerCase(int inputs, int nodes, float[] mu, float[] logStd, float[] logits) {
        UgmmLayer layer() {
            return UgmmLayer.of(inputs, nodes, mu, logStd, logits);
        }
    }

    static Arbitrary<LayerCase> layers(int maxInputs, int maxNodes, float minLogStd) {
        return Combinators.combine(Arbitraries.integers().between(1, maxInputs),
                        Arbitraries.integers().between(1, maxNodes))
                .flatAs((n, m) -> Combinators.combine(
                        floats(n * m, -5f, 5f), floats(n * m, minLogStd, 1f), floats(n * m, -3f, 3f))
                        .as((mu, s, k) -> new LayerCase(n, m, mu, s, k)));
    }

    private static Arbitrary<float[]> floats(int size, float min, float max) {
        return Arbitraries.floats().between(min, max).array(float[].class).ofSize(size);
    }

    @Provide
    Arbitrary<LayerCase> anyLayer() {
        return layers(70, 9, -4f);
    }

    @Provide
    Arbitrary<LayerCase> smallLayer() {
        // sigma >= e^-2 keeps the integration grid below a few thousand points
        return layers(6, 3, -2f);
    }

    @Property(tries = 200)
    void mixingWeightsOfEveryNodeSumToOne(@ForAll("anyLayer") LayerCase c) {
        float[] logWeights = c.layer().logWeights();
        for (int j = 0; j < c.nodes(); j++) {
            double sum = 0;
            for (int n = 0; n < c.inputs(); n++) {
                sum += Math.exp(logWeights[j * c.inputs() + n]);
            }
            assertEquals(1.0, sum, 1e-5, "node " + j);
        }
    }

    @Property(tries = 40)
    void nodeWithAllInputsEqualIsAProperDensity(@ForAll("smallLayer") LayerCase c) {
        // With every input equal to y, node j is sum_n pi_n N(y; mu_n, sigma_n): it must integrate to 1.
        UgmmNetwork net = UgmmNetwork.of(List.of(c.layer()));
        double minSigma = Double.MAX_VALUE;
        double lo = Double.MAX_VALUE;
        double hi = -Double.MAX_VALUE;
        for (int e = 0; e < c.mu().length; e++) {
            double sigma = Math.exp(c.logStd()[e]);
            minSigma = Math.min(minSigma, sigma);
            lo = Math.min(lo, c.mu()[e] - 12 * sigma);
            hi = Math.max(hi, c.mu()[e] + 12 * sigma);
        }
        double step = minSigma / 8;
        int points = (int) Math.ceil((hi - lo) / step) + 1;
        float[] x = new float[points * c.inputs()];
        for (int p = 0; p < points; p++) {
            java.util.Arrays.fill(x, p * c.inputs(), (p + 1) * c.inputs(), (float) (lo + p * step));
        }
        float[] out = net.forwardBatch(x, points);
        for (int j = 0; j < c.nodes(); j++) {
            double integral = 0;
            for (int p = 0; p < points; p++) {
                double w = (p == 0 || p == points - 1) ? 0.5 : 1;
                integral += w * Math.exp(out[p * c.nodes() + j]);
            }
            integral *= step;
            assertEquals(1.0, integral, 2e-3, "node " + j + " over [" + lo + ", " + hi + "] in " + points + " points");
        }
    }

    @Property(tries = 300)
    void logSumExpIsShiftInvariant(@ForAll @Size(min = 1, max = 100) List<@FloatRange(min = -1e4f, max = 1e4f) Float> values,
                                   @ForAll @FloatRange(min = -1e4f, max = 1e4f) float shift) {
        float[] v = toArray(values);
        float[] shifted = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            shifted[i] = v[i] + shift;
        }
        for (MixtureKernel k : new MixtureKernel[] {MixtureKernels.scalar(), VECTOR}) {
            double a = k.logSumExp(v, 0, v.length) + (double) shift;
            double b = k.logSumExp(shifted, 0, v.length);
            // v[i] + shift is rounded to float: up to half an ulp of 2e4 each
            assertEquals(a, b, 2e-7 * (Math.abs(a) + Math.abs(shift) + 2e4) + 1e-5, k.name());
        }
    }

    @Property(tries = 300)
    void logSumExpLiesBetweenMaxAndMaxPlusLogN(@ForAll @Size(min = 1, max = 200) List<@FloatRange(min = -3e38f, max = 3e38f) Float> values) {
        float[] v = toArray(values);
        float max = Float.NEGATIVE_INFINITY;
        for (float f : v) {
            max = Math.max(max, f);
        }
        for (MixtureKernel k : new MixtureKernel[] {MixtureKernels.scalar(), VECTOR}) {
            float lse = k.logSumExp(v, 0, v.length);
            assertTrue(Float.isFinite(lse), k.name() + " overflowed: " + lse);
            double slack = 1e-6 * Math.max(1, Math.abs(max));
            assertTrue(lse >= max - slack, k.name() + ": " + lse + " < max " + max);
            assertTrue(lse <= max + Math.log(v.length) + slack, k.name() + ": " + lse + " > max + log n");
        }
    }

    @Property(tries = 150)
    void vectorKernelEqualsScalarKernel(@ForAll("anyLayer") LayerCase c, @ForAll @IntRange(min = 1, max = 11) int rows,
                                        @ForAll @FloatRange(min = 0.01f, max = 1000f) float magnitude) {
        MixtureBank bank = c.layer().bank();
        float[] x = new float[rows * c.inputs()];
        java.util.SplittableRandom random = new java.util.SplittableRandom(rows * 31L + c.inputs());
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) ((random.nextDouble() * 2 - 1) * magnitude);
        }
        float[] scalar = new float[rows * c.nodes()];
        float[] vector = new float[rows * c.nodes()];
        float[] scratch = new float[MixtureKernel.scratchLength(c.inputs())];
        MixtureKernels.scalar().forward(x, 0, rows, bank, scalar, 0, scratch);
        VECTOR.forward(x, 0, rows, bank, vector, 0, scratch);
        for (int i = 0; i < scalar.length; i++) {
            // see ForwardKernelTest: exp2 + float sums differ from double sums by ~1e-7 per lane addition
            double tolerance = 4e-7 + Math.ceil(c.inputs() / 16.0) * 1.2e-7 + 2e-7 * Math.abs(scalar[i]);
            assertEquals(scalar[i], vector[i], tolerance, "output " + i);
        }
    }

    private static float[] toArray(List<Float> values) {
        float[] v = new float[values.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = values.get(i);
        }
        return v;
    }
}
