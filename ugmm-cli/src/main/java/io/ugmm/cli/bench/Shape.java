package io.ugmm.cli.bench;

import java.util.List;

/**
 * One forward-kernel workload: {@code rows} input rows (B) of {@code inputs} features (N) against
 * {@code mixtures} mixtures (M). One "element" is one (row, mixture, component) term: B·N·M per call.
 */
public record Shape(int rows, int inputs, int mixtures) {

    /** The shapes {@code ugmm bench} measures: two MNIST-network layers at batch 256, batch 1, and an odd one. */
    public static final List<Shape> STANDARD = List.of(
            new Shape(256, 784, 128),
            new Shape(256, 128, 64),
            new Shape(1, 784, 128),
            new Shape(33, 207, 13));

    public Shape {
        if (rows < 1 || inputs < 1 || mixtures < 1) {
            throw new IllegalArgumentException(
                    "a shape needs B, N, M >= 1, found (" + rows + ", " + inputs + ", " + mixtures + ")");
        }
    }

    /** B·N·M. */
    public long elements() {
        return (long) rows * inputs * mixtures;
    }

    @Override
    public String toString() {
        return "(" + rows + ", " + inputs + ", " + mixtures + ")";
    }
}
