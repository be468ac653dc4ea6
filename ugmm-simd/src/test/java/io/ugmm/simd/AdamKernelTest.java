package io.ugmm.simd;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** {@link MixtureKernel#adam}: every kernel gives the bits of the plain per-element formula. */
class AdamKernelTest {

    @Test
    void vectorAndScalarKernelsGiveTheFormulasBits() {
        AdamCoefficients c = new AdamCoefficients(0.9f, 0.999f, (float) (1 - 0.9), (float) (1 - 0.999), 0.0137f,
                1.7f, 1e-8f);
        for (int len : new int[] {1, 5, 15, 16, 17, 33, 100, 1000}) {
            for (MixtureKernel kernel : kernels()) {
                SplittableRandom random = new SplittableRandom(len);
                int off = 3;
                float[] param = values(random, off + len, 1);
                float[] grad = values(random, off + len, 1e-2);
                grad[off] = 0f;
                float[] m = values(random, off + len, 1e-3);
                float[] v = values(random, off + len, 1e-6);
                for (int i = 0; i < v.length; i++) {
                    v[i] = Math.abs(v[i]);
                }
                v[off] = 0f;
                float[] p2 = param.clone();
                float[] m2 = m.clone();
                float[] v2 = v.clone();
                kernel.adam(param, off, grad, off, m, v, off, len, c);
                for (int i = off; i < off + len; i++) {
                    // the formula Adam.update used before the kernels took it over
                    float g = grad[i];
                    float mi = c.b1() * m2[i] + c.oneMinusB1() * g;
                    float vi = c.b2() * v2[i] + c.oneMinusB2() * g * g;
                    p2[i] -= c.stepSize() * mi / ((float) Math.sqrt(vi) * c.invSqrtC2() + c.eps());
                    String what = kernel.name() + " len " + len + " element " + i;
                    assertEquals(Float.floatToIntBits(mi), Float.floatToIntBits(m[i]), what + " m");
                    assertEquals(Float.floatToIntBits(vi), Float.floatToIntBits(v[i]), what + " v");
                    assertEquals(Float.floatToIntBits(p2[i]), Float.floatToIntBits(param[i]), what + " param");
                }
                for (int i = 0; i < off; i++) {
                    assertEquals(p2[i], param[i], "untouched before the range");
                }
            }
        }
    }

    private static MixtureKernel[] kernels() {
        return MixtureKernels.vector().map(v -> new MixtureKernel[] {MixtureKernels.scalar(), v})
                .orElse(new MixtureKernel[] {MixtureKernels.scalar()});
    }

    private static float[] values(SplittableRandom random, int n, double scale) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) ((random.nextDouble() * 2 - 1) * scale);
        }
        return a;
    }
}
