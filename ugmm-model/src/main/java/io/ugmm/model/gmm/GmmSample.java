package io.ugmm.model.gmm;

/**
 * Rows drawn from a mixture: {@code x} holds {@code rows x dims} values row-major, {@code components} the
 * component each row was drawn from.
 */
public record GmmSample(float[] x, int[] components, int dims) {
    public int rows() {
        return components.length;
    }
}
