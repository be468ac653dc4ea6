package io.ugmm.model.mdn;

import io.ugmm.simd.DenseKernels;
import io.ugmm.simd.MixtureKernels;

/** Scratch: time of one 128-row loss+gradient, forward only, and the head only. */
public final class MdnProfileMain {
    public static void main(String[] args) {
        MdnData d = MdnExperimentMain.bishop(128, 1);
        MdnShape shape = MdnConfig.defaults().shape(1, 1);
        float[] params = shape.initialParameters(1);
        int rows = Integer.parseInt(args[0]);
        MdnObjective o = new MdnObjective(shape, new float[]{-7}, rows, DenseKernels.preferred(), args.length > 1 ? MixtureKernels.scalar() : MixtureKernels.preferred());
        float[] grad = new float[shape.parameterCount()];
        for (int rep = 0; rep < 3; rep++) {
            long t0 = System.nanoTime();
            int n = 20000;
            for (int i = 0; i < n; i++) {
                o.lossAndGradient(params, d.x(), 0, d.y(), 0, rows, 1f / rows, grad);
            }
            long t1 = System.nanoTime();
            for (int i = 0; i < n; i++) {
                o.forward(params, d.x(), 0, rows);
            }
            long t2 = System.nanoTime();
            for (int i = 0; i < n; i++) {
                o.loss(params, d.x(), 0, d.y(), 0, rows);
            }
            long t3 = System.nanoTime();
            System.out.printf("full %.1f us, forward %.1f us, forward+head %.1f us%n", (t1 - t0) / 1e3 / n,
                    (t2 - t1) / 1e3 / n, (t3 - t2) / 1e3 / n);
        }
    }
}
