package io.ugmm.jmh;

/**
 * A kernel workload written {@code BxNxM} in {@code @Param}s: B input rows of N features against M mixtures.
 * One element is one (row, mixture, component) term, B·N·M per call.
 */
record KernelShape(int rows, int inputs, int mixtures) {

    static KernelShape parse(String text) {
        String[] parts = text.trim().split("x");
        if (parts.length != 3) {
            throw new IllegalArgumentException("a shape is written BxNxM, e.g. 256x784x128; found '" + text + "'");
        }
        try {
            KernelShape s = new KernelShape(Integer.parseInt(parts[0]), Integer.parseInt(parts[1]),
                    Integer.parseInt(parts[2]));
            if (s.rows < 1 || s.inputs < 1 || s.mixtures < 1) {
                throw new IllegalArgumentException("B, N and M must be >= 1; found '" + text + "'");
            }
            return s;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("a shape is written BxNxM with whole numbers; found '" + text + "'", e);
        }
    }

    long elements() {
        return (long) rows * inputs * mixtures;
    }
}
