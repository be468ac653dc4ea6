package io.ugmm.simd;

import java.util.StringJoiner;

/** Prints the bits of a fixed vector-kernel computation; run by {@link DeterminismTest} in fresh JVMs. */
public final class KernelBitsMain {
    private KernelBitsMain() {
    }

    static String bits(int repeats) {
        KernelCases c = KernelCases.random(5, 57, 99, 1, 0, 0);
        float[] x = KernelCases.inputs(6, 57, 100, 3);
        MixtureKernel vector = MixtureKernels.vector().orElseThrow();
        float[] out = null;
        float lse = 0;
        float[] softmax = new float[x.length];
        // every kernel entry point is called as often, so each is compiled when repeats is large
        for (int r = 0; r < repeats; r++) {
            out = c.run(vector, x, 6);
            lse = vector.logSumExp(x, 0, x.length);
            vector.logSoftmax(x, 0, x.length, softmax, 0);
        }
        StringJoiner joiner = new StringJoiner(",");
        for (float v : out) {
            joiner.add(Integer.toHexString(Float.floatToRawIntBits(v)));
        }
        joiner.add(Integer.toHexString(Float.floatToRawIntBits(lse)));
        for (float v : softmax) {
            joiner.add(Integer.toHexString(Float.floatToRawIntBits(v)));
        }
        return joiner.toString();
    }

    public static void main(String[] args) {
        System.out.println(bits(1));
    }
}
