package io.ugmm.datasets;

import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Fisher's Iris data, built in: 150 flowers, 4 measurements in cm (sepal length and width, petal length
 * and width), 3 species of 50 each, in that order in the file.
 *
 * <p>Provenance: {@code iris.csv} in this package's resources is {@code sklearn/datasets/data/iris.csv}
 * from Debian's {@code python3-sklearn} 1.2.1+dfsg-1 (sha256 f13ffa8f...1d1449 of that file, BSD-3-Clause
 * package), with its count header replaced by column names and the species numbers 0, 1, 2 by their
 * names; the 600 values are unchanged. That copy follows Fisher's paper, which differs from the UCI
 * repository's copy in two values (rows 35 and 38).
 */
public final class Iris {
    public static final String NAME = "iris";
    public static final List<String> CLASS_NAMES = List.of("setosa", "versicolor", "virginica");
    public static final String SOURCE = "built in (Fisher's Iris, from Debian's python3-sklearn)";

    private static final String RESOURCE = "iris.csv";

    private Iris() {
    }

    public static Dataset load() {
        InputStream in = Iris.class.getResourceAsStream(RESOURCE);
        if (in == null) {
            throw new DatasetException("the built-in " + RESOURCE + " is missing from the ugmm-datasets jar; rebuild it");
        }
        CsvOptions options = CsvOptions.defaults().header(CsvOptions.Header.PRESENT).labelColumnName("species")
                .classNames(CLASS_NAMES);
        return CsvReader.read(RESOURCE, new InputStreamReader(in, StandardCharsets.UTF_8), options);
    }
}
