package io.ugmm.model;

import java.util.Objects;

/**
 * Queries beyond a plain forward pass. Thread-safe (each call uses its own scratch).
 */
public final class Inference {
    /** Rows evaluated per forward call in {@link #mpe}: bounds the scratch whatever the input size. */
    private static final int CHUNK_ROWS = 1024;

    private Inference() {
    }

    /**
     * MPE over one discrete input variable: for each row, the state {@code s} in {@code [0, states)} that,
     * written into column {@code labelColumn} (as the float {@code s}), gives the highest root log-density.
     * This is how a generatively trained network with the class label appended as an input classifies.
     * All {@code rows x states} candidates are evaluated as one batched pass (in chunks), not row by row.
     * Ties go to the smaller state.
     *
     * @param x            {@code rows x network.inputs()} row-major; the value in the label column is ignored
     * @param bestLogDensity if not null, receives each row's root log-density at its best state
     * @return the best state per row
     * @throws IllegalArgumentException when the network's root has more than one node, or on a bad shape
     */
    public static int[] mpe(UgmmNetwork network, float[] x, int rows, int labelColumn, int states,
                            float[] bestLogDensity) {
        if (bestLogDensity != null && bestLogDensity.length < rows) {
            throw new IllegalArgumentException("bestLogDensity has room for " + bestLogDensity.length
                    + " rows; need " + rows);
        }
        float[] all = stateLogDensities(network, x, rows, labelColumn, states);
        int[] best = new int[rows];
        for (int r = 0; r < rows; r++) {
            int s = UgmmNetwork.argmax(all, r * states, states);
            best[r] = s;
            if (bestLogDensity != null) {
                bestLogDensity[r] = all[r * states + s];
            }
        }
        return best;
    }

    /**
     * The root log-density of every row with each state {@code s} in {@code [0, states)} written into column
     * {@code labelColumn}: {@code result[r * states + s]}. Evaluated as one batched pass (in chunks); the
     * argmax of a row's block is its {@link #mpe MPE} state.
     *
     * @param x {@code rows x network.inputs()} row-major; the value in the label column is ignored
     * @throws IllegalArgumentException when the network's root has more than one node, or on a bad shape
     */
    /**
     * Every row of {@code x} ({@code rows} x {@code n}) repeated once per state, with {@code labelColumn} set
     * to the state: row {@code b * states + s} holds row b with the label s. For evaluating MPE candidates
     * elsewhere (e.g. in double precision); {@link #stateLogDensities} builds them chunk by chunk itself.
     */
    public static float[] withEveryState(float[] x, int rows, int n, int labelColumn, int states) {
        float[] candidates = new float[Math.multiplyExact(Math.multiplyExact(rows, states), n)];
        for (int b = 0; b < rows; b++) {
            for (int s = 0; s < states; s++) {
                int c = (b * states + s) * n;
                System.arraycopy(x, b * n, candidates, c, n);
                candidates[c + labelColumn] = s;
            }
        }
        return candidates;
    }

    public static float[] stateLogDensities(UgmmNetwork network, float[] x, int rows, int labelColumn, int states) {
        Objects.requireNonNull(network, "network");
        Objects.requireNonNull(x, "x");
        int n = network.inputs();
        if (network.outputs() != 1) {
            throw new IllegalArgumentException("MPE needs a network with one root node, found " + network.outputs());
        }
        if (labelColumn < 0 || labelColumn >= n) {
            throw new IllegalArgumentException("label column " + labelColumn + " is outside the network's " + n
                    + " inputs");
        }
        if (states < 1) {
            throw new IllegalArgumentException("need at least 1 state, found " + states);
        }
        if (rows < 0 || (long) rows * n != x.length) {
            throw new IllegalArgumentException("expected " + rows + " rows x " + n + " inputs = " + (long) rows * n
                    + " values, found " + x.length);
        }
        int perChunk = Math.max(1, CHUNK_ROWS / states);
        int maxCandidates = Math.min(rows, perChunk) * states;
        float[] candidates = new float[Math.max(1, maxCandidates) * n];
        Workspace ws = network.newWorkspace(Math.max(1, Math.min(maxCandidates, 256)));
        float[] result = new float[rows * states];
        for (int from = 0; from < rows; from += perChunk) {
            int count = Math.min(perChunk, rows - from);
            for (int b = 0; b < count; b++) {
                for (int s = 0; s < states; s++) {
                    int c = (b * states + s) * n;
                    System.arraycopy(x, (from + b) * n, candidates, c, n);
                    candidates[c + labelColumn] = s;
                }
            }
            network.forward(candidates, 0, count * states, result, from * states, ws);
        }
        return result;
    }

    /** {@link #mpe(UgmmNetwork, float[], int, int, int, float[])} without the log-densities. */
    public static int[] mpe(UgmmNetwork network, float[] x, int rows, int labelColumn, int states) {
        return mpe(network, x, rows, labelColumn, states, null);
    }
}
