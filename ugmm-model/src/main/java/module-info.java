/**
 * uGMM-NN models: {@link io.ugmm.model.UgmmModel} (a trained model with its preprocessing: load, predict,
 * save), the network and its layers, training ({@code io.ugmm.model.train}) and safetensors model files
 * ({@code io.ugmm.model.io}). {@code io.ugmm.model.internal} (strict JSON, atomic file writes, the training loops'
 * plumbing) is shared by this project's modules and not exported.
 */
module io.ugmm.model {
    requires transitive io.ugmm.simd;

    exports io.ugmm.model;
    exports io.ugmm.model.gmm;
    exports io.ugmm.model.io;
    exports io.ugmm.model.mdn;
    exports io.ugmm.model.train;
}
