package io.ugmm.cli;

import io.ugmm.model.gmm.GaussianMixture;

import java.util.List;
import java.util.Locale;

/**
 * An SVG picture of a 2-D Gaussian mixture over its data: the points, coloured by their most probable
 * component, and each component's 1σ and 2σ ellipses (the contours of its density at Mahalanobis distance
 * 1 and 2) with its mean marked. The axes' ranges are fixed by the data, so frames of one fit line up.
 */
final class MixturePlot {
    private static final String[] COLOURS = {"#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b",
            "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"};
    private static final int WIDTH = 640;
    private static final int HEIGHT = 480;
    private static final int MARGIN = 56;

    private final float[] x;
    private final int rows;
    private final List<String> axisNames;
    private final double minX;
    private final double maxX;
    private final double minY;
    private final double maxY;

    MixturePlot(float[] x, int rows, List<String> axisNames) {
        this.x = x;
        this.rows = rows;
        this.axisNames = axisNames;
        double x0 = Double.POSITIVE_INFINITY;
        double x1 = Double.NEGATIVE_INFINITY;
        double y0 = Double.POSITIVE_INFINITY;
        double y1 = Double.NEGATIVE_INFINITY;
        for (int r = 0; r < rows; r++) {
            x0 = Math.min(x0, x[2 * r]);
            x1 = Math.max(x1, x[2 * r]);
            y0 = Math.min(y0, x[2 * r + 1]);
            y1 = Math.max(y1, x[2 * r + 1]);
        }
        double padX = Math.max(1e-9, (x1 - x0) * 0.08);
        double padY = Math.max(1e-9, (y1 - y0) * 0.08);
        this.minX = x0 - padX;
        this.maxX = x1 + padX;
        this.minY = y0 - padY;
        this.maxY = y1 + padY;
    }

    private double px(double v) {
        return MARGIN + (v - minX) / (maxX - minX) * (WIDTH - 2 * MARGIN);
    }

    private double py(double v) {
        return HEIGHT - MARGIN - (v - minY) / (maxY - minY) * (HEIGHT - 2 * MARGIN);
    }

    /** The SVG document for {@code model} (2 features), with {@code title} on top. */
    String svg(GaussianMixture model, String title) {
        if (model.dims() != 2) {
            throw new UsageException("a plot needs 2 features, the data has " + model.dims());
        }
        StringBuilder s = new StringBuilder();
        s.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\""
                + " viewBox=\"0 0 %d %d\" font-family=\"sans-serif\" font-size=\"12\">%n", WIDTH, HEIGHT, WIDTH, HEIGHT));
        s.append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
        axes(s);
        int[] component = model.predict(x, rows);
        for (int r = 0; r < rows; r++) {
            s.append(String.format(Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"2.5\" fill=\"%s\" fill-opacity=\"0.55\"/>%n",
                    px(x[2 * r]), py(x[2 * r + 1]), colour(component[r])));
        }
        double[] means = model.means();
        for (int k = 0; k < model.components(); k++) {
            double[] c = model.covarianceMatrix(k);
            for (int sigma = 1; sigma <= 2; sigma++) {
                s.append(ellipse(means[2 * k], means[2 * k + 1], c[0], c[1], c[3], sigma, colour(k)));
            }
            s.append(String.format(Locale.ROOT, "<path d=\"M%.1f %.1fh10M%.1f %.1fv10\" stroke=\"black\" stroke-width=\"2\"/>%n",
                    px(means[2 * k]) - 5, py(means[2 * k + 1]), px(means[2 * k]), py(means[2 * k + 1]) - 5));
        }
        s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"24\" font-size=\"14\">%s</text>%n", MARGIN, escape(title)));
        s.append("</svg>\n");
        return s.toString();
    }

    /** The ellipse {v : (v - m)ᵀ C⁻¹ (v - m) = sigma²} as a polygon in screen coordinates. */
    private String ellipse(double mx, double my, double a, double b, double d, int sigma, String colour) {
        // eigen-decomposition of [[a, b], [b, d]]
        double mean = (a + d) / 2;
        double spread = Math.hypot((a - d) / 2, b);
        double l1 = mean + spread;
        double l2 = Math.max(0, mean - spread);
        double angle = Math.atan2(l1 - a, b);
        if (b == 0) {
            angle = a >= d ? 0 : Math.PI / 2;
        }
        StringBuilder p = new StringBuilder();
        for (int i = 0; i <= 72; i++) {
            double t = 2 * Math.PI * i / 72;
            double u = sigma * Math.sqrt(l1) * Math.cos(t);
            double v = sigma * Math.sqrt(l2) * Math.sin(t);
            double ex = mx + u * Math.cos(angle) - v * Math.sin(angle);
            double ey = my + u * Math.sin(angle) + v * Math.cos(angle);
            p.append(i == 0 ? "M" : "L").append(String.format(Locale.ROOT, "%.1f %.1f", px(ex), py(ey)));
        }
        return String.format(Locale.ROOT, "<path d=\"%sZ\" fill=\"none\" stroke=\"%s\" stroke-width=\"%s\"%s/>%n",
                p, colour, sigma == 1 ? "2" : "1.2", sigma == 1 ? "" : " stroke-dasharray=\"5 4\"");
    }

    private void axes(StringBuilder s) {
        s.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"none\" stroke=\"#444\"/>%n",
                MARGIN, MARGIN, WIDTH - 2 * MARGIN, HEIGHT - 2 * MARGIN));
        for (double t : ticks(minX, maxX)) {
            s.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%s</text>%n",
                    px(t), HEIGHT - MARGIN + 16, label(t)));
        }
        for (double t : ticks(minY, maxY)) {
            s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%s</text>%n",
                    MARGIN - 6, py(t) + 4, label(t)));
        }
        s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">%s</text>%n",
                WIDTH / 2, HEIGHT - 12, escape(axisNames.get(0))));
        s.append(String.format(Locale.ROOT, "<text x=\"16\" y=\"%d\" text-anchor=\"middle\" transform=\"rotate(-90 16 %d)\">%s</text>%n",
                HEIGHT / 2, HEIGHT / 2, escape(axisNames.get(1))));
    }

    private static double[] ticks(double lo, double hi) {
        double step = Math.pow(10, Math.floor(Math.log10((hi - lo) / 5)));
        if ((hi - lo) / step > 10) {
            step *= (hi - lo) / step > 20 ? 5 : 2;
        }
        int first = (int) Math.ceil(lo / step);
        int last = (int) Math.floor(hi / step);
        double[] t = new double[Math.max(0, last - first + 1)];
        for (int i = 0; i < t.length; i++) {
            t[i] = (first + i) * step;
        }
        return t;
    }

    private static String label(double v) {
        String s = String.format(Locale.ROOT, "%.4g", v);
        return s.contains(".") && !s.contains("e") ? s.replaceAll("0+$", "").replaceAll("\\.$", "") : s;
    }

    private static String colour(int k) {
        return COLOURS[k % COLOURS.length];
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
