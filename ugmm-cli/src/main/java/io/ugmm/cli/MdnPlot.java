package io.ugmm.cli;

import io.ugmm.model.internal.AtomicFileWriter;
import io.ugmm.model.mdn.ConditionalMixture;
import io.ugmm.model.mdn.MixtureDensityNetwork;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Locale;

/**
 * The picture of a mixture density network with one input and one target: the conditional density
 * p(y | x) as a heat map (an embedded PNG, one pixel per grid cell), the data points, and the most probable
 * target (mode) for every input column. A small hand-written SVG; no plotting library.
 */
final class MdnPlot {
    private static final int WIDTH = 640;
    private static final int HEIGHT = 480;
    private static final int LEFT = 64;
    private static final int RIGHT = 20;
    private static final int TOP = 36;
    private static final int BOTTOM = 52;
    private static final int GRID_X = 200;
    private static final int GRID_Y = 150;
    private static final int MAX_POINTS = 800;
    /** Viridis at five stops, for the density scaled to [0, 1]. */
    private static final int[][] COLOURS = {{68, 1, 84}, {59, 82, 139}, {33, 145, 140}, {94, 201, 98}, {253, 231, 37}};

    private MdnPlot() {
    }

    static void write(MixtureDensityNetwork net, float[] x, float[] y, String inputName, String targetName, Path file)
            throws IOException {
        String svg = svg(net, x, y, inputName, targetName);
        AtomicFileWriter.write(file, out -> out.write(svg.getBytes(StandardCharsets.UTF_8)));
    }

    static String svg(MixtureDensityNetwork net, float[] x, float[] y, String inputName, String targetName)
            throws IOException {
        double[] xr = range(x, 0.02);
        double[] yr = range(y, 0.08);
        float[] columns = new float[GRID_X];
        for (int c = 0; c < GRID_X; c++) {
            columns[c] = (float) (xr[0] + (c + 0.5) * (xr[1] - xr[0]) / GRID_X);
        }
        ConditionalMixture[] mixtures = net.mixtures(columns, GRID_X);
        double[][] density = new double[GRID_Y][GRID_X];
        double max = 0;
        for (int c = 0; c < GRID_X; c++) {
            for (int r = 0; r < GRID_Y; r++) {
                double yv = yr[1] - (r + 0.5) * (yr[1] - yr[0]) / GRID_Y;
                density[r][c] = Math.exp(mixtures[c].logDensity(new double[]{yv}));
                max = Math.max(max, density[r][c]);
            }
        }
        BufferedImage image = new BufferedImage(GRID_X, GRID_Y, BufferedImage.TYPE_INT_RGB);
        for (int r = 0; r < GRID_Y; r++) {
            for (int c = 0; c < GRID_X; c++) {
                // square root: the weaker branches stay visible beside the strongest
                image.setRGB(c, r, colour(max > 0 ? Math.sqrt(density[r][c] / max) : 0));
            }
        }
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        ImageIO.write(image, "png", png);

        int pw = WIDTH - LEFT - RIGHT;
        int ph = HEIGHT - TOP - BOTTOM;
        StringBuilder s = new StringBuilder();
        s.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\""
                + " viewBox=\"0 0 %d %d\" font-family=\"sans-serif\" font-size=\"12\">%n", WIDTH, HEIGHT, WIDTH, HEIGHT));
        s.append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
        s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"22\" font-size=\"14\">p(%s | %s): conditional density"
                + " (heat map), data (white), mode (red)</text>%n", LEFT, escape(targetName), escape(inputName)));
        s.append(String.format(Locale.ROOT, "<image x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\""
                        + " preserveAspectRatio=\"none\" style=\"image-rendering:pixelated\" href=\"data:image/png;base64,%s\"/>%n",
                LEFT, TOP, pw, ph, Base64.getEncoder().encodeToString(png.toByteArray())));
        int rows = Math.min(x.length, y.length);
        int step = Math.max(1, (rows + MAX_POINTS - 1) / MAX_POINTS);
        s.append("<g fill=\"white\" fill-opacity=\"0.55\">\n");
        for (int i = 0; i < rows; i += step) {
            s.append(String.format(Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"1.6\"/>%n",
                    px(x[i], xr, pw), py(y[i], yr, ph)));
        }
        s.append("</g>\n<g fill=\"#e31a1c\">\n");
        for (int c = 0; c < GRID_X; c += 2) {
            double mode = mixtures[c].mode()[0];
            if (mode >= yr[0] && mode <= yr[1]) {
                s.append(String.format(Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"2\"/>%n",
                        px(columns[c], xr, pw), py(mode, yr, ph)));
            }
        }
        s.append("</g>\n");
        s.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"none\""
                + " stroke=\"black\"/>%n", LEFT, TOP, pw, ph));
        for (int t = 0; t <= 4; t++) {
            double xv = xr[0] + t * (xr[1] - xr[0]) / 4;
            double xp = px(xv, xr, pw);
            s.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"black\"/>"
                    + "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%.2f</text>%n", xp, TOP + ph, xp, TOP + ph + 5,
                    xp, TOP + ph + 19, xv));
            double yv = yr[0] + t * (yr[1] - yr[0]) / 4;
            double yp = py(yv, yr, ph);
            s.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"black\"/>"
                    + "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%.2f</text>%n", LEFT - 5, yp, LEFT, yp, LEFT - 8,
                    yp + 4, yv));
        }
        s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">%s (input)</text>%n",
                LEFT + pw / 2, HEIGHT - 12, escape(inputName)));
        s.append(String.format(Locale.ROOT, "<text transform=\"translate(16,%d) rotate(-90)\" text-anchor=\"middle\">"
                + "%s (target)</text>%n", TOP + ph / 2, escape(targetName)));
        return s.append("</svg>\n").toString();
    }

    private static double px(double v, double[] range, int width) {
        return LEFT + (v - range[0]) / (range[1] - range[0]) * width;
    }

    private static double py(double v, double[] range, int height) {
        return TOP + (range[1] - v) / (range[1] - range[0]) * height;
    }

    private static double[] range(float[] v, double pad) {
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (float e : v) {
            lo = Math.min(lo, e);
            hi = Math.max(hi, e);
        }
        double margin = (hi - lo) * pad + (hi == lo ? 1 : 0);
        return new double[]{lo - margin, hi + margin};
    }

    private static int colour(double t) {
        double pos = Math.max(0, Math.min(1, t)) * (COLOURS.length - 1);
        int i = Math.min(COLOURS.length - 2, (int) pos);
        double f = pos - i;
        int rgb = 0;
        for (int ch = 0; ch < 3; ch++) {
            int v = (int) Math.round(COLOURS[i][ch] + f * (COLOURS[i + 1][ch] - COLOURS[i][ch]));
            rgb = (rgb << 8) | v;
        }
        return rgb;
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
