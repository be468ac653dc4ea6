package io.ugmm.model.gmm;

import java.util.Locale;

/**
 * How EM's first responsibilities are chosen (scikit-learn's {@code init_params}), unless the config gives
 * initial parameters: {@link #KMEANS_PLUS_PLUS} seeds centres by k-means++ and assigns each row to its
 * nearest; {@link #RANDOM} draws responsibilities uniformly and normalises them; {@link #RANDOM_FROM_DATA}
 * takes K distinct rows as centres and assigns each row to its nearest.
 */
public enum InitMethod {
    KMEANS_PLUS_PLUS("kmeans++"), RANDOM("random"), RANDOM_FROM_DATA("random_from_data");

    private final String label;

    InitMethod(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    /** Parses {@code kmeans++|random|random_from_data} (also {@code k-means++}). */
    public static InitMethod parse(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT).replace('-', '_');
        for (InitMethod m : values()) {
            if (m.label.replace('-', '_').equals(t) || (m == KMEANS_PLUS_PLUS && t.equals("k_means++"))) {
                return m;
            }
        }
        throw new IllegalArgumentException("init '" + text + "': expected kmeans++, random or random_from_data");
    }
}
