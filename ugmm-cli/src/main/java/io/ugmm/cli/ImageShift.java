package io.ugmm.cli;

import io.ugmm.model.FeatureStandardization;
import io.ugmm.model.train.RowAugmentation;

import java.util.SplittableRandom;

/**
 * Training-time augmentation for square grey-scale images stored row by row: each row is moved by a
 * random whole number of pixels (each direction independently, up to {@code maxShift}), filling with
 * background. Works on standardised rows by undoing the scaling, shifting the raw pixels (background 0)
 * and scaling again, so every pixel keeps its own statistics.
 */
final class ImageShift implements RowAugmentation {
    private final int side;
    private final int maxShift;
    /** The standardisation's means and scales (std, or 1 for a constant pixel); null for raw pixels. */
    private final double[] mean;
    private final double[] scale;
    private final float[] raw;

    /** @param scaling the standardisation the rows carry, or null for raw pixels */
    ImageShift(int features, int maxShift, FeatureStandardization scaling) {
        int s = (int) Math.round(Math.sqrt(features));
        if (s * s != features) {
            throw new UsageException("--augment shift needs square images; rows have " + features
                    + " features, which is not a square");
        }
        if (maxShift < 1 || maxShift >= s) {
            throw new UsageException("--augment shift:N needs 1 <= N < " + s + ", found " + maxShift);
        }
        this.side = s;
        this.maxShift = maxShift;
        this.mean = scaling == null ? null : scaling.means();
        this.scale = scaling == null ? null : scaling.standardDeviations();
        if (scale != null) {
            for (int i = 0; i < scale.length; i++) {
                scale[i] = scale[i] == 0 ? 1 : scale[i];
            }
        }
        this.raw = new float[features];
    }

    @Override
    public void apply(float[] row, int off, int features, SplittableRandom random) {
        int dx = random.nextInt(2 * maxShift + 1) - maxShift;
        int dy = random.nextInt(2 * maxShift + 1) - maxShift;
        if (dx == 0 && dy == 0) {
            return;
        }
        for (int i = 0; i < features; i++) {
            raw[i] = mean == null ? row[off + i] : (float) (row[off + i] * scale[i] + mean[i]);
        }
        for (int y = 0; y < side; y++) {
            int sy = y - dy;
            for (int x = 0; x < side; x++) {
                int sx = x - dx;
                float v = sy >= 0 && sy < side && sx >= 0 && sx < side ? raw[sy * side + sx] : 0f;
                int i = y * side + x;
                row[off + i] = mean == null ? v : (float) ((v - mean[i]) / scale[i]);
            }
        }
    }
}
