package io.ugmm.model.mdn;

import java.util.SplittableRandom;

/** Bishop's inverse problem for tests of this module (ugmm-datasets has the documented generator). */
final class BishopRows {
    private BishopRows() {
    }

    /** x ~ U(0,1), t = x + 0.3 sin(2 pi x) + U(-0.1, 0.1); input t, target x. */
    static MdnData of(int rows, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] t = new float[rows];
        float[] x = new float[rows];
        for (int r = 0; r < rows; r++) {
            double xr = random.nextDouble();
            x[r] = (float) xr;
            t[r] = (float) (xr + 0.3 * Math.sin(2 * Math.PI * xr) + random.nextDouble() * 0.2 - 0.1);
        }
        return new MdnData(t, x, 1, 1);
    }
}
