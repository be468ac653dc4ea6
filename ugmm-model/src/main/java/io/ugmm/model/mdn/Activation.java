package io.ugmm.model.mdn;

import java.util.Locale;

/** The nonlinearity between the dense layers of a mixture density network's trunk. */
public enum Activation {
    TANH,
    RELU;

    /** {@code tanh} or {@code relu}, as the command line and model files spell it. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses {@link #label()}; the message names the choices. */
    public static Activation parse(String text) {
        for (Activation a : values()) {
            if (a.label().equals(text.trim().toLowerCase(Locale.ROOT))) {
                return a;
            }
        }
        throw new IllegalArgumentException("activation must be tanh or relu, found '" + text + "'");
    }
}
