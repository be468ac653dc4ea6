package io.ugmm.cli;

import io.ugmm.model.Inference;
import io.ugmm.model.DoublePrecisionEvaluator;
import io.ugmm.model.UgmmNetwork;
import io.ugmm.model.Workspace;
import io.ugmm.model.io.AtomicFileWriter;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * {@code ugmm predict --model FILE --input CSV [--output CSV]}: the root's log-densities for every input row.
 *
 * <p>A model saved by {@code ugmm train} gets its rows prepared as training did, from its metadata: features
 * standardised; for a generative ({@code nll}) model a row may leave out the label (one column fewer than the
 * inputs) and is then classified by MPE over the label: the outputs are the root log-density with each class
 * filled in, and the argmax the predicted class. Other model files (e.g. PyTorch exports) get the values as given.
 *
 * <p>Input: one row per sample, one numeric column per model input, comma-separated, UTF-8; an optional
 * header line (recognised when none of its cells is a number); blank lines are skipped. Output: a header
 * {@code out_0,...,out_{M-1},argmax}, then per input row the M log-densities as {@link Float#toString(float)}
 * (which parses back to the same float) and the index of the largest. Rows stream through in batches of
 * {@value #BATCH} with one reused workspace, so input size is not limited by memory. An {@code --output}
 * file is replaced atomically: after an error it keeps its old content; on stdout, rows before the bad
 * line have already been printed.
 */
final class PredictCommand implements Command {
    static final int BATCH = 256;
    private static final Pattern NON_FINITE = Pattern.compile("[+-]?(nan|inf|infinity)");

    @Override
    public String name() {
        return "predict";
    }

    @Override
    public String summary() {
        return "log-densities and argmax per CSV row: --model FILE --input CSV [--output CSV]";
    }

    @Override
    public Set<String> valuedOptions() {
        return Set.of("model", "input", "output", "precision");
    }

    @Override
    public Map<String, String> optionHelp() {
        return Map.ofEntries(
                Map.entry("model", "model file (required)"),
                Map.entry("input", "CSV file, one row per sample (required)"),
                Map.entry("output", "CSV file to write, replaced atomically (default: standard output)"),
                Map.entry("precision", "float (the fast kernels) or double (every layer in double precision, about"
                        + " 20x slower: to check a badly conditioned network) (default float)"));
    }

    @Override
    public int run(Args args, PrintStream out, PrintStream err) throws Exception {
        Path input = Path.of(args.require("input"));
        String output = args.get("output", null);
        if (output != null) {
            Path target = Path.of(output);
            if (Files.exists(target) && Files.exists(input) && Files.isSameFile(target, input)) {
                throw new UsageException("--output " + output + " is the --input file; choose another name");
            }
            AtomicFileWriter.checkWritable(target);
        }
        String precision = args.get("precision", "float");
        if (!precision.equals("float") && !precision.equals("double")) {
            throw new UsageException("--precision must be float or double, found '" + precision + "'");
        }
        ModelStore.Loaded model = ModelStore.load(Path.of(args.require("model")));
        boolean exact = precision.equals("double");
        long rows;
        if (output == null) {
            Writer writer = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), 1 << 16);
            rows = predict(model, input, writer, exact);
            writer.flush();
        } else {
            long[] count = new long[1];
            AtomicFileWriter.write(Path.of(output), stream -> {
                Writer writer = new OutputStreamWriter(stream, StandardCharsets.UTF_8);
                count[0] = predict(model, input, writer, exact);
                writer.flush();
            });
            rows = count[0];
            err.println("wrote " + rows + " rows to " + output);
        }
        return 0;
    }

    /**
     * Streams {@code input} through the model into {@code writer}, prepared as the model's metadata records
     * (see the class comment); returns the number of rows.
     */
    static long predict(ModelStore.Loaded model, Path input, Writer writer, boolean doublePrecision)
            throws IOException {
        try (BufferedReader reader = open(input)) {
            return new Batches(model, input.toString(), writer, doublePrecision).run(reader);
        } catch (CharacterCodingException e) {
            throw new IOException(input + ": not UTF-8 text", e);
        }
    }

    private static BufferedReader open(Path input) throws IOException {
        if (Files.isDirectory(input)) {
            throw new IOException(input + ": is a directory; expected a CSV file");
        }
        try {
            var decoder = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT);
            return new BufferedReader(new InputStreamReader(Files.newInputStream(input), decoder), 1 << 16);
        } catch (NoSuchFileException e) {
            throw new IOException(input + ": no such file", e);
        } catch (IOException e) {
            throw new IOException(input + ": cannot read (" + e.getMessage() + ")", e);
        }
    }

    /** Parses rows into a batch buffer, runs the network on full batches and writes their results. */
    private static final class Batches {
        private final UgmmNetwork net;
        /** How training prepared the features; null for a model without ugmm training metadata. */
        private final PreparedData.Preprocessing preprocessing;
        /** The double-precision evaluation, when asked for; null for the float kernels. */
        private final DoublePrecisionEvaluator exact;
        /** Classes of a generative model, the states MPE tries in its label column (0 if unknown). */
        private final int classes;
        private final String source;
        private final Writer writer;
        private final int inputs;
        private final float[] x;
        private final Workspace workspace;
        private final StringBuilder line = new StringBuilder();
        /** Columns per CSV row: the network's inputs, or one fewer when MPE fills in the label. */
        private int columns = -1;
        private boolean mpe;
        private int outputs;
        private float[] y;
        private int buffered;
        private long written;

        Batches(ModelStore.Loaded model, String source, Writer writer, boolean doublePrecision) {
            this.net = model.network();
            this.exact = doublePrecision ? new DoublePrecisionEvaluator(net) : null;
            this.preprocessing = model.recordsTraining() ? model.preprocessing() : null;
            this.classes = model.classes();
            this.source = source;
            this.writer = writer;
            this.inputs = net.inputs();
            this.x = new float[BATCH * inputs];
            this.workspace = net.newWorkspace(BATCH);
        }

        private boolean generative() {
            return preprocessing != null && preprocessing.labelAppended();
        }

        /** Fixes the row width from the first line: all inputs, or (generative models) all but the label. */
        private void chooseMode(int cells, long lineNumber, String what) throws IOException {
            if (columns >= 0) {
                return;
            }
            if (generative() && cells == inputs - 1) {
                if (classes < 1) {
                    throw new IOException(source + ": the rows lack the label column, but the model does not record"
                            + " its number of classes to try by MPE; add the label as the last column");
                }
                mpe = true;
                columns = inputs - 1;
                outputs = classes;
            } else if (cells == inputs) {
                columns = inputs;
                outputs = net.outputs();
            } else {
                throw new IOException(source + " line " + lineNumber + ": " + what + " " + cells + " columns but the"
                        + " model takes " + inputs + " inputs" + (generative() ? " (" + (inputs - 1)
                        + " features, then the label, which may be left out to predict it)" : ""));
            }
            y = new float[BATCH * outputs];
        }

        long run(BufferedReader reader) throws IOException {
            String text;
            long lineNumber = 0;
            boolean first = true;
            while ((text = reader.readLine()) != null) {
                lineNumber++;
                if (first && text.startsWith("\uFEFF")) {
                    text = text.substring(1); // a byte order mark some editors write
                }
                if (text.isBlank()) {
                    continue;
                }
                String[] cells = text.split(",", -1);
                if (first && isHeader(cells)) {
                    first = false;
                    chooseMode(cells.length, lineNumber, "the header has");
                    continue;
                }
                first = false;
                parseRow(cells, lineNumber);
                if (buffered == BATCH) {
                    flush();
                }
            }
            flush();
            if (written == 0) {
                throw new IOException(source + ": no data rows (the file is empty or has only a header line)");
            }
            return written;
        }

        private void parseRow(String[] cells, long lineNumber) throws IOException {
            chooseMode(cells.length, lineNumber, "the row has");
            if (cells.length != columns) {
                throw new IOException(source + " line " + lineNumber + ": expected " + columns + " columns (the model's "
                        + (columns == inputs ? "inputs" : "features, without the label") + "), found "
                        + cells.length);
            }
            int base = buffered * inputs;
            for (int c = 0; c < cells.length; c++) {
                String cell = unquote(cells[c].trim());
                String where = source + " line " + lineNumber + ", column " + (c + 1) + ": ";
                if (!isPlainNumber(cell)) {
                    if (isNonFinite(cell)) {
                        throw new IOException(where + InfoCommand.printable(cell) + " is not a finite number");
                    }
                    throw new IOException(where + "'" + InfoCommand.printable(cell) + "' is not a number");
                }
                float v = Float.parseFloat(cell);
                if (Float.isInfinite(v)) {
                    throw new IOException(where + cell + " is too large for a float");
                }
                x[base + c] = v;
            }
            buffered++;
        }

        /** The model's class names when the outputs are one score per class, else null (no class column). */
        private List<String> classNames() {
            List<String> names = preprocessing == null ? null : preprocessing.classNames();
            return names != null && names.size() == outputs ? names : null;
        }

        private static String csvCell(String s) {
            return s.contains(",") || s.contains("\"") || s.contains("\n")
                    ? '"' + s.replace("\"", "\"\"") + '"' : s;
        }

        private void flush() throws IOException {
            List<String> names = classNames();
            if (written == 0 && buffered > 0) {
                StringBuilder header = new StringBuilder();
                for (int j = 0; j < outputs; j++) {
                    header.append("out_").append(j).append(',');
                }
                header.append("argmax");
                if (names != null) {
                    header.append(",class");
                }
                writer.write(header.append('\n').toString());
            }
            if (buffered == 0) {
                return;
            }
            if (preprocessing != null) {
                preprocessing.scaleRows(x, buffered, inputs);
            }
            double[] yExact = null;
            float[] rows = exact != null || mpe ? java.util.Arrays.copyOf(x, buffered * inputs) : null;
            if (exact != null) {
                yExact = mpe
                        ? exact.forward(Inference.withEveryState(rows, buffered, inputs, inputs - 1, classes),
                                buffered * classes)
                        : exact.forward(rows, buffered);
            } else if (mpe) {
                // the root's log-density with each class in the label column; the argmax is the MPE class
                float[] scores = Inference.stateLogDensities(net, rows, buffered, inputs - 1, classes);
                System.arraycopy(scores, 0, y, 0, scores.length);
            } else {
                net.forward(x, 0, buffered, y, 0, workspace);
            }
            for (int r = 0; r < buffered; r++) {
                line.setLength(0);
                int off = r * outputs;
                int best = 0;
                for (int j = 0; j < outputs; j++) {
                    if (yExact != null) {
                        line.append(Double.toString(yExact[off + j])).append(',');
                        best = yExact[off + j] > yExact[off + best] ? j : best;
                    } else {
                        line.append(Float.toString(y[off + j])).append(',');
                    }
                }
                if (yExact == null) {
                    best = UgmmNetwork.argmax(y, off, outputs);
                }
                line.append(best);
                if (names != null) {
                    line.append(',').append(csvCell(names.get(best)));
                }
                writer.write(line.append('\n').toString());
            }
            written += buffered;
            buffered = 0;
        }

        /** A header line has no cell that looks like a number (finite or not). */
        private static boolean isHeader(String[] cells) {
            for (String cell : cells) {
                String c = unquote(cell.trim());
                if (isPlainNumber(c) || isNonFinite(c)) {
                    return false;
                }
            }
            return true;
        }

        /**
         * A plain decimal number such as {@code -1.5e3} or {@code .5}: what Float.parseFloat should see, since
         * on its own it also takes "NaN", "Infinity", hex floats and a trailing 'f' or 'd'. (A hand-written
         * check rather than a regex, which would backtrack quadratically on a long run of digits.)
         */
        static boolean isPlainNumber(String s) {
            int i = 0;
            int n = s.length();
            if (i < n && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
                i++;
            }
            int digits = 0;
            while (i < n && isDigit(s.charAt(i))) {
                i++;
                digits++;
            }
            if (i < n && s.charAt(i) == '.') {
                i++;
                while (i < n && isDigit(s.charAt(i))) {
                    i++;
                    digits++;
                }
            }
            if (digits == 0) {
                return false;
            }
            if (i < n && (s.charAt(i) == 'e' || s.charAt(i) == 'E')) {
                i++;
                if (i < n && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
                    i++;
                }
                int exponentDigits = 0;
                while (i < n && isDigit(s.charAt(i))) {
                    i++;
                    exponentDigits++;
                }
                if (exponentDigits == 0) {
                    return false;
                }
            }
            return i == n;
        }

        private static boolean isDigit(char c) {
            return c >= '0' && c <= '9';
        }

        private static boolean isNonFinite(String cell) {
            return NON_FINITE.matcher(cell.toLowerCase(Locale.ROOT)).matches();
        }

        private static String unquote(String cell) {
            return cell.length() >= 2 && cell.startsWith("\"") && cell.endsWith("\"")
                    ? cell.substring(1, cell.length() - 1).trim() : cell;
        }
    }
}
