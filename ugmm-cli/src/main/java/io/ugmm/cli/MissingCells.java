package io.ugmm.cli;

import io.ugmm.datasets.CsvReader;
import io.ugmm.model.MissingPolicy;

import java.util.Locale;

/** Missing cells in CSV input (an empty field, {@code NaN} or {@code ?}) and the {@code --missing} choices. */
final class MissingCells {
    private MissingCells() {
    }

    /** The policy a {@code --missing} value names. */
    static MissingPolicy policy(String text) {
        return switch (text.toLowerCase(Locale.ROOT)) {
            case "error" -> MissingPolicy.REJECT;
            case "marginalize", "marginalise" -> MissingPolicy.MARGINALIZE;
            case "mean" -> MissingPolicy.MEAN_FILL;
            case "mask-unnormalized" -> MissingPolicy.MASK_UNNORMALIZED;
            case "unit-density" -> MissingPolicy.UNIT_DENSITY;
            default -> throw new UsageException("--missing must be error, marginalize, mean, mask-unnormalized or"
                    + " unit-density, found '" + text + "'");
        };
    }

    static boolean isMissing(String cell) {
        String t = cell.trim();
        return t.isEmpty() || t.equals("?") || t.equalsIgnoreCase("nan");
    }

    /** The cell as a number, or NaN for a missing cell when the policy accepts missing values. */
    static float parse(String cell, MissingPolicy policy, String where) {
        if (policy.acceptsMissing() && isMissing(cell)) {
            return Float.NaN;
        }
        if (!policy.acceptsMissing() && isMissing(cell) && !cell.isEmpty()) {
            throw new io.ugmm.datasets.DatasetException(where + ": '" + cell + "' is a missing value; give"
                    + " --missing marginalize (or mean) to predict without it");
        }
        return CsvReader.parseNumber(cell, where);
    }
}
