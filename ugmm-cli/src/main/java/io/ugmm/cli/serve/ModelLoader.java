package io.ugmm.cli.serve;

import java.nio.file.Path;

/** Loads a model file; used at start-up and on every reload. */
@FunctionalInterface
public interface ModelLoader {
    /** The model in {@code file}; an exception whose message says what is wrong with it otherwise. */
    ScoringModel load(Path file) throws Exception;
}
