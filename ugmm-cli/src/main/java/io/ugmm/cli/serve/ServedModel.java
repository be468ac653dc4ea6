package io.ugmm.cli.serve;

import java.nio.file.Path;
import java.time.Instant;

/** The model being served, where it came from, when it was loaded, and its version (1, then +1 per reload). */
record ServedModel(ScoringModel model, Path path, Instant loadedAt, long version) {
}
