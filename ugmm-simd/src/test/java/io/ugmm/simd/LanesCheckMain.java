package io.ugmm.simd;

/** Prototype check: rows-in-lanes vs the pair path, bit for bit, on ForwardKernelTest's hard inputs. */
public final class LanesCheckMain {
    private LanesCheckMain() {
    }

    public static void main(String[] args) {
        int checked = 0;
        for (int n : new int[] {16, 17, 37, 128, 129, 784}) {
            int m = 21;
            KernelCases c = KernelCases.random(m, n, 7L * n, 1, 0, 0.2);
            float[] logWeights = c.logWeights.clone();
            java.util.Arrays.fill(logWeights, 5 * n, 6 * n, Float.NEGATIVE_INFINITY);
            MixtureBank bank = MixtureBank.of(m, n, c.mean, c.logStd, logWeights);
            int rows = 150;
            float[] x = KernelCases.inputs(rows, n, n, 2);
            for (int i = 0; i < n; i++) {
                x[6 * n + i] *= 1e4f;
                x[7 * n + i] = 3e3f;
                x[70 * n + i] *= 1e3f;
            }
            x[20 * n + n / 2] = Float.NaN;
            float[] pairs = new float[rows * m];
            float[] lanes = new float[rows * m];
            for (int rep = 0; rep < 2000; rep++) {
                VectorForward.forward(x, 0, rows, bank, 0, m, pairs, 0, new float[MixtureKernel.scratchLength(n)], false);
                VectorForward.forward(x, 0, rows, bank, 0, m, lanes, 0, new float[MixtureKernel.scratchLength(n)], true);
                for (int i = 0; i < pairs.length; i++) {
                    if (Float.floatToRawIntBits(pairs[i]) != Float.floatToRawIntBits(lanes[i])) {
                        throw new AssertionError("n=" + n + " rep " + rep + " at " + i + ": " + pairs[i] + " vs " + lanes[i]);
                    }
                }
                checked++;
            }
        }
        System.out.println(VectorMixtureKernel.F.vectorBitSize() + "-bit: " + checked + " calls, same bits");
    }
}
