package io.ugmm.datasets;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * Old Faithful geyser eruptions, built in: 272 rows of eruption duration (minutes) and waiting time to the
 * next eruption (minutes); no labels (every row is in one class, {@code faithful}). The classic picture of a
 * two-component Gaussian mixture.
 *
 * <p>Provenance: {@code faithful.csv} in this package's resources is R's {@code datasets::faithful} (Härdle
 * 1991, from Azzalini and Bowman 1990), written by {@code Rscript -e 'write.csv(faithful, "f.csv",
 * row.names=FALSE)'} with R 4.2.2 from Debian's {@code r-base-core} 4.2.2.20221110-2 (GPL-2+; the data
 * itself is public), then stripped of quotes. The 544 values are unchanged. The file's SHA-256 is
 * {@value #SHA256}; loading checks it, so a damaged jar is an error rather than different data.
 */
public final class Faithful {
    public static final String NAME = "faithful";
    public static final String SOURCE = "built in (Old Faithful eruptions, R's datasets::faithful via Debian's r-base-core)";
    static final String SHA256 = "d40b983752ab7ec0b15b740089c3ca7b7b59d0c7433a029a1714d134de1e8d14";
    private static final String RESOURCE = "faithful.csv";
    private static final int ROWS = 272;

    private Faithful() {
    }

    public static Dataset load() {
        byte[] bytes;
        try (InputStream in = Faithful.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new DatasetException("the built-in " + RESOURCE + " is missing from the ugmm-datasets jar; rebuild it");
            }
            bytes = in.readAllBytes();
        } catch (IOException e) {
            throw new DatasetException("cannot read the built-in " + RESOURCE + ": " + e.getMessage(), e);
        }
        String hash = sha256(bytes);
        if (!hash.equals(SHA256)) {
            throw new DatasetException("the built-in " + RESOURCE + " has SHA-256 " + hash + ", expected " + SHA256
                    + "; rebuild ugmm-datasets");
        }
        String[] lines = new String(bytes, StandardCharsets.US_ASCII).split("\n");
        if (lines.length != ROWS + 1 || !lines[0].equals("eruptions,waiting")) {
            throw new DatasetException("the built-in " + RESOURCE + " is not the expected 272 rows under the header"
                    + " eruptions,waiting");
        }
        float[] x = new float[ROWS * 2];
        for (int r = 0; r < ROWS; r++) {
            String[] cells = lines[r + 1].split(",");
            x[2 * r] = Float.parseFloat(cells[0]);
            x[2 * r + 1] = Float.parseFloat(cells[1]);
        }
        return new Dataset(NAME, x, new int[ROWS], 2, List.of("eruptions", "waiting"), List.of(NAME));
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
