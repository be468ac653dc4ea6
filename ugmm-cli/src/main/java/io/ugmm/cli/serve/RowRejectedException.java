package io.ugmm.cli.serve;

/**
 * Thrown by a {@link ScoringModel.RowScorer} for one row the model cannot use although it parsed as finite
 * numbers (e.g. a value that standardising pushes beyond the float range). The batcher fails only the
 * request that sent the row and scores the others again without it.
 */
public final class RowRejectedException extends RuntimeException {
    private final int row;
    private final int feature;
    private final String why;

    /** @param row the row within the scorer call, from 0 */
    public RowRejectedException(int row, int feature, String why) {
        super("row " + row + ", feature " + feature + ": " + why, null, false, false);
        this.row = row;
        this.feature = feature;
        this.why = why;
    }

    int row() {
        return row;
    }

    /** The same refusal for a row {@code offset} further on. */
    RowRejectedException shifted(int offset) {
        return new RowRejectedException(row + offset, feature, why);
    }

    /** The 400 answer for the request, whose own row this is. */
    RequestException toRequestException(int requestRow) {
        return RequestException.badRequest(ErrorKind.NOT_FINITE, "rows[" + requestRow + "][" + feature + "]: " + why);
    }
}
