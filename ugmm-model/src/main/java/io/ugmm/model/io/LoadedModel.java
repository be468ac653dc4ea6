package io.ugmm.model.io;

import io.ugmm.model.UgmmNetwork;

import java.util.List;
import java.util.Objects;

/**
 * A network read from a model file, with the file's metadata.
 *
 * @param network         the network, ready for inference
 * @param metadata        the file's {@code __metadata__} as stored (empty for a plain PyTorch export)
 * @param firstLayerIndex the {@code <i>} of the first uGMM layer's tensors {@code layers.<i>.*}: 1 for files
 *                        ugmm writes and for the PyTorch reference (whose layer 0 is its input layer), 0 for
 *                        files that number from 0
 * @param ignoredAliases  names of the reference's duplicate {@code layers.<i>.prev_layer...} tensors that were
 *                        checked equal to their canonical tensor and skipped
 */
public record LoadedModel(UgmmNetwork network, ModelMetadata metadata, int firstLayerIndex,
                          List<String> ignoredAliases) {
    public LoadedModel {
        Objects.requireNonNull(network, "network");
        Objects.requireNonNull(metadata, "metadata");
        ignoredAliases = List.copyOf(ignoredAliases);
    }
}
