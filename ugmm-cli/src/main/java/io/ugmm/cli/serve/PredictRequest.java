package io.ugmm.cli.serve;

/** The rows of one {@code POST /v1/predict} body: {@code rowCount × width} features, row-major. */
record PredictRequest(float[] features, int rowCount, int width) {
}
