package io.ugmm.simd;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The kernels' array exp and its scalar twin, against double-precision {@link Math#exp}. */
class FloatExpTest {
    /** 2 float ulps, relative: the documented bound. */
    private static final double TWO_ULP = 2 * 0x1p-23;
    private static final float SMALLEST_KEPT = 0x1p-125f;

    @Test
    void theScalarTwinIsWithinTwoUlpOfTheDoubleExpOverTheWholeRange() {
        double worst = 0;
        for (float x : arguments()) {
            double exact = Math.exp(x);
            float got = FloatExp.exp(x);
            if (Float.isNaN(x)) {
                assertTrue(Float.isNaN(got));
            } else if (exact >= Float.MAX_VALUE * (1 - 0x1p-23)) { // the last float below: either side is right
                assertTrue(got == Float.POSITIVE_INFINITY || Math.abs(got - exact) <= TWO_ULP * exact, "exp(" + x + ") = " + got);
            } else if (exact >= Float.MAX_VALUE) {
                assertEquals(Float.POSITIVE_INFINITY, got, "exp(" + x + ")");
            } else if (exact < SMALLEST_KEPT * 1.000001) { // at the cut-off either side is right
                assertTrue(got == 0f || Math.abs(got - exact) <= TWO_ULP * exact + 0x1p-149, "exp(" + x + ") = " + got);
            } else {
                double rel = Math.abs(got - exact) / exact;
                worst = Math.max(worst, rel);
                assertTrue(rel <= TWO_ULP, "exp(" + x + ") = " + got + ", exact " + exact + ", relative error " + rel);
            }
        }
        assertTrue(worst > 0, "the comparison ran");
    }

    @Test
    void specialValues() {
        assertEquals(0f, FloatExp.exp(Float.NEGATIVE_INFINITY));
        assertEquals(Float.POSITIVE_INFINITY, FloatExp.exp(Float.POSITIVE_INFINITY));
        assertTrue(Float.isNaN(FloatExp.exp(Float.NaN)));
        assertEquals(1f, FloatExp.exp(0f));
        assertEquals(1f, FloatExp.exp(-0f));
        assertEquals(0f, FloatExp.exp(-1000f));
        assertEquals(0f, FloatExp.exp(-Float.MAX_VALUE));
        assertEquals(0f, FloatExp.exp(-87f), "below 2^-125: flushed to 0, never subnormal");
        assertEquals(Float.POSITIVE_INFINITY, FloatExp.exp(1000f));
        assertEquals(Float.POSITIVE_INFINITY, FloatExp.exp(Float.MAX_VALUE));
        float maxArg = (float) Math.log(Float.MAX_VALUE); // rounds up: e^maxArg is just above MAX_VALUE
        assertEquals(Float.POSITIVE_INFINITY, FloatExp.exp(maxArg));
        float top = FloatExp.exp(Math.nextDown(maxArg));
        assertTrue(Float.isFinite(top) && top > 3.4e38f, "exp(just below log(MAX_VALUE)) = " + top);
        float low = FloatExp.exp(-86.6f);
        double exactLow = Math.exp((double) -86.6f);
        assertTrue(low >= SMALLEST_KEPT && Math.abs(low - exactLow) <= TWO_ULP * exactLow, low + " vs " + exactLow);
    }

    @Test
    void everyKernelsArrayExpMatchesTheDoubleExpAndTheVectorKernelIsTheTwinToTheBit() {
        List<MixtureKernel> kernels = new ArrayList<>();
        kernels.add(MixtureKernels.scalar());
        MixtureKernels.vector().ifPresent(kernels::add);
        float[] all = arguments();
        for (int len : new int[] {1, 3, 4, 7, 8, 15, 16, 17, 31, 33, 64, 100, all.length}) {
            for (int off : new int[] {0, 5}) {
                float[] v = new float[off + len];
                System.arraycopy(all, all.length - len, v, off, len);
                for (MixtureKernel kernel : kernels) {
                    float[] out = new float[len + 2];
                    out[0] = 42f;
                    kernel.exp(v, off, len, out, 1);
                    assertEquals(42f, out[0], "nothing written before outOff");
                    assertEquals(0f, out[len + 1], "nothing written after the range");
                    for (int i = 0; i < len; i++) {
                        float x = v[off + i];
                        float got = out[1 + i];
                        String what = kernel.name() + " exp(" + x + ") len " + len;
                        if (kernel.name().equals("scalar")) {
                            assertEquals((float) Math.exp(x), got, what);
                        } else {
                            assertEquals(Float.floatToIntBits(FloatExp.exp(x)), Float.floatToIntBits(got), what);
                        }
                    }
                }
            }
        }
    }

    @Test
    void inPlace() {
        float[] v = {0f, 1f, -1f, Float.NEGATIVE_INFINITY, 2f, 3f, 4f, 5f, 6f, 7f, 8f, 9f, 10f, 11f, 12f, 13f, 14f, -2f};
        float[] expected = v.clone();
        MixtureKernel kernel = MixtureKernels.preferred();
        kernel.exp(expected, 0, expected.length, expected, 0);
        kernel.exp(v, 0, v.length, v, 0);
        for (int i = 0; i < v.length; i++) {
            assertEquals(expected[i], v[i]);
        }
        assertEquals(0f, v[3]);
    }

    /** A sweep over [-90, 90], random values, the special values, and values just around the cut-offs. */
    private static float[] arguments() {
        List<Float> xs = new ArrayList<>();
        for (float x = -90f; x <= 90f; x += 0.0137f) {
            xs.add(x);
        }
        SplittableRandom random = new SplittableRandom(11);
        for (int i = 0; i < 20_000; i++) {
            xs.add((float) (random.nextDouble() * 180 - 90));
            xs.add((float) (random.nextDouble() * 2 - 1));
        }
        float cut = -125f / FloatExp.LOG2E;
        float maxArg = (float) Math.log(Float.MAX_VALUE);
        float top = 128f / FloatExp.LOG2E;
        for (float x : new float[] {cut, Math.nextUp(cut), Math.nextDown(cut), maxArg, Math.nextDown(maxArg),
                Math.nextDown(Math.nextDown(maxArg)), Math.nextUp(maxArg), top, Math.nextDown(top), Math.nextUp(top), 0f, -0f, 1e-30f, -1e-30f,
                Float.MIN_VALUE, Float.NEGATIVE_INFINITY, Float.POSITIVE_INFINITY, Float.NaN, 1000f, -1000f,
                0.5f * 0.6931472f, -0.5f * 0.6931472f}) {
            xs.add(x);
        }
        float[] out = new float[xs.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = xs.get(i);
        }
        return out;
    }
}
