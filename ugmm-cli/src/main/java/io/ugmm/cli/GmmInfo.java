package io.ugmm.cli;

import io.ugmm.model.gmm.GaussianMixture;
import io.ugmm.model.io.GmmFiles;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

/** What {@code ugmm info} shows for a Gaussian-mixture file ({@code format = gmm}), after strict loading. */
final class GmmInfo {
    private GmmInfo() {
    }

    static void print(Path path, GmmFiles.LoadedMixture loaded, PrintStream out) throws IOException {
        GaussianMixture m = loaded.mixture();
        out.printf("file          %s (%d bytes)%n", path, Files.size(path));
        out.printf("format        Gaussian mixture (gmm), format_version %s%n",
                InfoCommand.printable(loaded.metadata().get("format_version").orElse("?")));
        out.printf("mixture       %d %s components over %d features%n", m.components(), m.covarianceType().label(), m.dims());
        out.printf("parameters    %d free (for BIC/AIC)%n", m.freeParameters());
        out.printf(Locale.ROOT, "fit           %d EM iterations, %s, lower bound %.6f%n", m.iterations(),
                m.converged() ? "converged" : "not converged", m.lowerBound());
        double[] w = m.weights();
        double[] mu = m.means();
        int shown = Math.min(m.components(), 20);
        for (int k = 0; k < shown; k++) {
            StringBuilder means = new StringBuilder();
            for (int d = 0; d < Math.min(m.dims(), 6); d++) {
                means.append(d == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%.4g", mu[k * m.dims() + d]));
            }
            out.printf(Locale.ROOT, "  component %-3d weight %.4f  mean [%s%s]%n", k, w[k], means, m.dims() > 6 ? ", ..." : "");
        }
        if (shown < m.components()) {
            out.printf("  ... %d more components%n", m.components() - shown);
        }
        out.println("metadata");
        for (Map.Entry<String, String> e : loaded.metadata().asMap().entrySet()) {
            out.printf("  %-16s  %s%n", InfoCommand.printable(e.getKey()), InfoCommand.printable(e.getValue()));
        }
    }
}
