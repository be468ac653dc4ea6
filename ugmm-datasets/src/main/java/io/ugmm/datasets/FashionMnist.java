package io.ugmm.datasets;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Fashion-MNIST (Zalando Research, MIT licence): 60 000 training and 10 000 test images of clothing,
 * 28 x 28 grey pixels, 10 classes of 6 000 + 1 000 each, in MNIST's IDX format. Debian's package
 * {@code dataset-fashion-mnist} installs it in {@value #DEBIAN_DIR}; a copy in {@code $UGMM_DATA/fashion-mnist}
 * or {@code ~/.cache/ugmm/fashion-mnist}, or any directory named by the caller, works as well.
 * Pixels come back scaled to [0, 1].
 */
public final class FashionMnist {
    public static final String NAME = "fashion-mnist";
    public static final String DEBIAN_DIR = "/usr/share/datasets/fashion-mnist";
    public static final String INSTALL = "apt-get install dataset-fashion-mnist";

    /** Class names in label order (0 = T-shirt/top ... 9 = Ankle boot), as the dataset's authors name them. */
    public static final List<String> CLASS_NAMES = List.of("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
            "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot");

    static final String HOW_TO_GET = "Install it with '" + INSTALL + "' (Debian/Ubuntu, puts it in " + DEBIAN_DIR
            + "), or name a directory holding train-images-idx3-ubyte.gz, train-labels-idx1-ubyte.gz,"
            + " t10k-images-idx3-ubyte.gz and t10k-labels-idx1-ubyte.gz as 'fashion-mnist:DIR'";

    private FashionMnist() {
    }

    /** The directories searched, in order. */
    public static List<Path> searchPath() {
        List<Path> places = new ArrayList<>();
        places.add(Path.of(DEBIAN_DIR));
        places.addAll(DataLocations.underDataRoots(NAME));
        return places;
    }

    /** The first directory of {@link #searchPath()} that holds the training files. */
    public static Optional<Path> locate() {
        return locate(searchPath());
    }

    /** Loads the shipped train (60 000) and test (10 000) parts from the first place it is found. */
    public static LoadedDataset load() {
        return load(searchPath());
    }

    /** Loads from {@code dir}. */
    public static LoadedDataset load(Path dir) {
        return IdxDirectory.load(NAME, dir, CLASS_NAMES, HOW_TO_GET);
    }

    static LoadedDataset load(List<Path> places) {
        return load(find(places));
    }

    /** The first place holding the data, or an error saying where we looked and how to install it. */
    static Path find(List<Path> places) {
        return locate(places).orElseThrow(() -> new DatasetException("Fashion-MNIST not found: "
                + DataLocations.lookedIn(places) + ". " + HOW_TO_GET));
    }

    static Optional<Path> locate(List<Path> places) {
        return places.stream().filter(IdxDirectory::looksComplete).findFirst();
    }
}
