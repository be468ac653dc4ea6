package io.ugmm.simd;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * {@link MixtureKernel#allWithin}: the trainer's and the mixture bank's validity checks. Every kernel must see a
 * bad value wherever it sits (in a full vector, in the scalar tail, at the range's first or last element), and
 * must not look outside the range it was given.
 */
class AllWithinTest {
    private static final float[] BAD_FOR_FINITE = {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY,
            Float.intBitsToFloat(0x7fc00001), Float.intBitsToFloat(0xffc00000)};

    @Test
    void findsEveryNonFiniteValueWhereverItSits() {
        for (MixtureKernel kernel : kernels()) {
            for (int len : new int[] {0, 1, 7, 15, 16, 17, 31, 32, 33, 64, 100}) {
                int off = 5;
                float[] v = new float[off + len + 5];
                for (int i = 0; i < v.length; i++) {
                    v[i] = (i % 7 - 3) * 1e30f;
                }
                String what = kernel.name() + " len " + len;
                assertEquals(true, kernel.allWithin(v, off, len, -Float.MAX_VALUE, Float.MAX_VALUE), what);
                for (int at = off; at < off + len; at++) {
                    for (float bad : BAD_FOR_FINITE) {
                        float kept = v[at];
                        v[at] = bad;
                        assertEquals(false, kernel.allWithin(v, off, len, -Float.MAX_VALUE, Float.MAX_VALUE),
                                what + " " + bad + " at " + (at - off));
                        v[at] = kept;
                    }
                }
                // outside the range: not looked at
                v[off - 1] = Float.NaN;
                v[off + len] = Float.POSITIVE_INFINITY;
                assertEquals(true, kernel.allWithin(v, off, len, -Float.MAX_VALUE, Float.MAX_VALUE), what + " outside");
            }
        }
    }

    @Test
    void boundsAreInclusive() {
        for (MixtureKernel kernel : kernels()) {
            float[] v = new float[40];
            java.util.Arrays.fill(v, 1f);
            v[3] = Float.NEGATIVE_INFINITY;
            v[37] = Float.MAX_VALUE;
            // a log weight may be -Infinity, not NaN or +Infinity
            assertEquals(true, kernel.allWithin(v, 0, 40, Float.NEGATIVE_INFINITY, Float.MAX_VALUE), kernel.name());
            assertEquals(false, kernel.allWithin(v, 0, 40, -Float.MAX_VALUE, Float.MAX_VALUE), kernel.name());
            // a scale must be positive: the smallest subnormal passes, zero and -0 do not
            java.util.Arrays.fill(v, 2f);
            v[20] = Float.MIN_VALUE;
            assertEquals(true, kernel.allWithin(v, 0, 40, Float.MIN_VALUE, Float.MAX_VALUE), kernel.name());
            for (float zero : new float[] {0f, -0f}) {
                v[20] = zero;
                assertEquals(false, kernel.allWithin(v, 0, 40, Float.MIN_VALUE, Float.MAX_VALUE), kernel.name() + zero);
            }
        }
    }

    private static List<MixtureKernel> kernels() {
        return MixtureKernels.vector().map(v -> List.of(MixtureKernels.scalar(), v))
                .orElse(List.of(MixtureKernels.scalar()));
    }
}
