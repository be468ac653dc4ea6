package io.ugmm.cli;

import io.ugmm.datasets.CsvReader;
import io.ugmm.model.DoublePrecisionEvaluator;
import io.ugmm.model.InvalidFeatureException;
import io.ugmm.model.MissingPolicy;
import io.ugmm.model.Predictor;
import io.ugmm.model.UgmmModel;
import io.ugmm.model.internal.AtomicFileWriter;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintStream;
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

/**
 * {@code ugmm predict --model FILE --input CSV [--output CSV]}: one prediction per input row, through
 * {@link UgmmModel} (which applies the preprocessing the model file records: standardisation, and MPE over
 * the label for a generative model). Other model files (e.g. PyTorch exports) get the values as given.
 *
 * <p>Input: one row per sample with one numeric column per model input (in ugmm's CSV number grammar,
 * datasets' {@link CsvReader}), UTF-8, from a file or standard input ({@code -}); an optional header line
 * (recognised when none of its cells is a number); blank lines are skipped. A column the header names as the
 * training label (or, when the model records its input names, the one column that is not an input) is
 * skipped, so the training CSV itself can be given. Output: a header {@code out_0,...,out_{K-1},argmax[,class]}
 * (or, with {@code --probabilities}, one column per class named after it), then per row the K log-scores as
 * {@link Float#toString(float)} (which parses back to the same float), the index of the best class (−1 when no
 * class has a finite score) and its name when the model records names. Rows stream through in batches of
 * {@value #BATCH} with one reused predictor; each batch is written whole, so output always ends on a whole
 * record. An {@code --output} file is replaced atomically: after an error it keeps its old content.
 */
final class PredictCommand implements Command {
    static final int BATCH = 256;

    @Override
    public String name() {
        return "predict";
    }

    @Override
    public String summary() {
        return "predict each CSV row: --model FILE --input CSV|- [--output CSV] [--probabilities]";
    }

    @Override
    public Set<String> valuedOptions() {
        return Set.of("model", "input", "output", "precision", "delimiter", "missing");
    }

    @Override
    public Set<String> flagOptions() {
        return Set.of("probabilities", "log-density");
    }

    @Override
    public Map<String, String> optionHelp() {
        return Map.ofEntries(
                Map.entry("model", "model file (required)"),
                Map.entry("input", "CSV file, one row per sample, or - for standard input (required)"),
                Map.entry("output", "CSV file to write, replaced atomically: a failed run leaves it as it was"
                        + " (default: standard output, where a failed run leaves the whole rows before the bad"
                        + " line)"),
                Map.entry("delimiter", "the input's column separator: one character, or tab (default ,)"),
                Map.entry("probabilities", "write p(class | row) per class, columns named after the classes,"
                        + " instead of the log-scores (default off)"),
                Map.entry("missing", "what an empty, NaN or ? cell means: error, or marginalize (the class"
                        + " posterior without those inputs), or mean (the training mean); mask-unnormalized and"
                        + " unit-density are the alternatives marginalize was measured against (default error)"),
                Map.entry("log-density", "add a log_density column: log p(row) with the label summed out, for a"
                        + " generative model (low values: rows unlike the training data) (default off)"),
                Map.entry("precision", "float (the fast kernels) or double (every layer in double precision, about"
                        + " 20x slower: to check a badly conditioned network) (default float)"));
    }

    @Override
    public int run(Args args, PrintStream out, PrintStream err) throws Exception {
        String inputName = args.require("input");
        boolean stdin = inputName.equals("-");
        Path input = stdin ? null : Path.of(inputName);
        String output = args.get("output", null);
        if (output != null) {
            Path target = Path.of(output);
            if (!stdin && Files.exists(target) && Files.exists(input) && Files.isSameFile(target, input)) {
                throw new UsageException("--output " + output + " is the --input file; choose another name");
            }
            AtomicFileWriter.checkWritable(target);
        }
        String precision = args.get("precision", "float");
        if (!precision.equals("float") && !precision.equals("double")) {
            throw new UsageException("--precision must be float or double, found '" + precision + "'");
        }
        boolean probabilities = args.has("probabilities");
        if (probabilities && precision.equals("double")) {
            throw new UsageException("--probabilities works with --precision float only");
        }
        char delimiter = delimiter(args.get("delimiter", ","));
        MissingPolicy missing = MissingCells.policy(args.get("missing", "error"));
        boolean logDensity = args.has("log-density");
        if (precision.equals("double") && (missing != MissingPolicy.REJECT || logDensity)) {
            throw new UsageException("--missing and --log-density work with --precision float only");
        }
        UgmmModel model = UgmmModel.load(Path.of(args.require("model")));
        if (logDensity && !model.generative()) {
            throw new UsageException("--log-density needs a generative model (trained with --loss nll); this one is a"
                    + " classifier, whose outputs are not a density of the row");
        }
        Options options = new Options(delimiter, probabilities, precision.equals("double"), missing, logDensity);
        String source = stdin ? "standard input" : input.toString();
        Summary summary;
        if (output == null) {
            try (BufferedReader reader = open(input)) {
                summary = new Batches(model, source, out, options).run(reader);
            }
        } else {
            Summary[] result = new Summary[1];
            try (BufferedReader reader = open(input)) {
                AtomicFileWriter.write(Path.of(output), stream -> result[0] = new Batches(model, source, stream,
                        options).run(reader));
            }
            summary = result[0];
            err.println("wrote " + summary.rows() + " rows to " + output);
        }
        summary.warn(err);
        return 0;
    }

    static char delimiter(String text) {
        if (text.equalsIgnoreCase("tab") || text.equals("\\t")) {
            return '\t';
        }
        if (text.length() != 1 || text.charAt(0) == '"') {
            throw new UsageException("--delimiter must be one character (e.g. ';') or tab, found '" + text + "'");
        }
        return text.charAt(0);
    }

    private static BufferedReader open(Path input) throws IOException {
        var decoder = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        if (input == null) {
            return new BufferedReader(new InputStreamReader(System.in, decoder), 1 << 16);
        }
        if (Files.isDirectory(input)) {
            throw new IOException(input + ": is a directory; expected a CSV file");
        }
        try {
            InputStream in = Files.newInputStream(input);
            return new BufferedReader(new InputStreamReader(in, decoder), 1 << 16);
        } catch (NoSuchFileException e) {
            throw new IOException(input + ": no such file", e);
        } catch (IOException e) {
            throw new IOException(input + ": cannot read (" + e.getMessage() + ")", e);
        }
    }

    private record Options(char delimiter, boolean probabilities, boolean doublePrecision, MissingPolicy missing,
                           boolean logDensity) {
    }

    /** What a run saw: rows written, and rows flagged as unreliable with the first line of each kind. */
    record Summary(long rows, long outOfRange, long firstOutOfRangeLine, long noFiniteScore,
                   long firstNoFiniteLine) {
        void warn(PrintStream err) {
            if (outOfRange > 0) {
                err.printf(Locale.ROOT, "warning: %d of %d rows have a feature far outside the range the model was"
                        + " trained on (first: line %d); their predictions are unreliable (scaled differently?)%n",
                        outOfRange, rows, firstOutOfRangeLine);
            }
            if (noFiniteScore > 0) {
                err.printf(Locale.ROOT, "warning: %d of %d rows have no class with a finite score (first: line %d);"
                        + " their argmax is -1: the inputs or parameters are beyond what float arithmetic"
                        + " represents%n", noFiniteScore, rows, firstNoFiniteLine);
            }
        }
    }

    /** Parses rows into a batch buffer, predicts full batches and writes each batch's records in one write. */
    private static final class Batches {
        private final UgmmModel model;
        private final Predictor predictor;
        /** The double-precision evaluation, when asked for; null for the float kernels. */
        private final DoublePrecisionEvaluator exact;
        private final String source;
        private final OutputStream sink;
        private final Options options;
        private final int features;
        private final int classes;
        private final float[] x;
        private final float[] scores;
        private final float[] probabilities;
        private final int[] best;
        private final long[] lineOf = new long[BATCH];
        private final String[][] cellsOf = new String[BATCH][];
        private final StringBuilder text = new StringBuilder();
        /** For each CSV column, the feature it holds, or −1 for a skipped (label) column; null until fixed. */
        private int[] featureOf;
        private int buffered;
        private long written;
        private long outOfRange;
        private long firstOutOfRange = -1;
        private long noFinite;
        private long firstNoFinite = -1;

        Batches(UgmmModel model, String source, OutputStream sink, Options options) {
            this.model = model;
            this.predictor = model.newPredictor(BATCH, options.missing());
            this.exact = options.doublePrecision() ? new DoublePrecisionEvaluator(model.network()) : null;
            this.source = source;
            this.sink = sink;
            this.options = options;
            this.features = model.inputCount();
            this.classes = model.classCount();
            this.x = new float[BATCH * features];
            this.scores = new float[BATCH * classes];
            this.probabilities = new float[BATCH * classes];
            this.best = new int[BATCH];
        }

        Summary run(BufferedReader reader) throws IOException {
            String line;
            long lineNumber = 0;
            try {
                while ((line = reader.readLine()) != null) {
                    lineNumber++;
                    if (lineNumber == 1 && line.startsWith("\uFEFF")) {
                        line = line.substring(1); // a byte order mark some editors write
                    }
                    if (line.isBlank()) {
                        continue;
                    }
                    List<String> cells = CsvReader.splitLine(line, options.delimiter(), source + " line " + lineNumber);
                    if (featureOf == null && isHeader(cells)) {
                        chooseColumns(cells, true, line, lineNumber);
                        continue;
                    }
                    if (featureOf == null) {
                        chooseColumns(cells, false, line, lineNumber);
                    }
                    parseRow(cells, lineNumber);
                    if (buffered == BATCH) {
                        flush();
                    }
                }
            } catch (CharacterCodingException e) {
                throw new IOException(source + ": not UTF-8 text (after line " + lineNumber + ")", e);
            }
            flush();
            if (written == 0) {
                throw new IOException(source + ": no data rows (the file is empty or has only a header line)");
            }
            return new Summary(written, outOfRange, firstOutOfRange, noFinite, firstNoFinite);
        }

        /** A header line has no cell that looks like a number (finite or not). */
        private static boolean isHeader(List<String> cells) {
            return cells.stream().noneMatch(CsvReader::looksLikeNumber);
        }

        /**
         * Fixes which columns are features from the first line: all of them when there are as many as the
         * model's inputs; with one more, the column a header names as the label is skipped.
         */
        private void chooseColumns(List<String> cells, boolean header, String line, long lineNumber)
                throws IOException {
            int found = cells.size();
            featureOf = new int[found];
            if (found == features) {
                for (int c = 0; c < found; c++) {
                    featureOf[c] = c;
                }
                return;
            }
            int label = header && found == features + 1 ? labelColumn(cells) : -1;
            if (label >= 0) {
                for (int c = 0, f = 0; c < found; c++) {
                    featureOf[c] = c == label ? -1 : f++;
                }
                return;
            }
            String where = source + " line " + lineNumber + ": " + (header ? "the header has " : "the row has ")
                    + found + " columns but the model takes " + features + " inputs";
            if (found == 1 && options.delimiter() != '\t' && (line.contains(";") || line.contains("\t"))) {
                char seen = line.contains(";") ? ';' : '\t';
                throw new IOException(where + "; the delimiter looks wrong: the line has no '" + options.delimiter()
                        + "' but has " + (seen == '\t' ? "tabs (--delimiter tab)" : "';' (--delimiter ';')"));
            }
            String names = model.inputNamesRecorded() ? " (" + String.join(", ", model.inputNames()) + ")" : "";
            if (found == features + 1) {
                throw new IOException(where + names + "; an extra label column is skipped only when a header names"
                        + " it" + model.labelName().map(n -> " ('" + n + "')").orElse("")
                        + (model.inputNamesRecorded() ? " or names all the inputs beside it" : ""));
            }
            throw new IOException(where + names);
        }

        /** The header column holding the training label, or −1 when none can be told apart. */
        private int labelColumn(List<String> header) {
            String labelName = model.labelName().orElse(null);
            for (int c = 0; c < header.size(); c++) {
                if (header.get(c).equalsIgnoreCase(labelName)) {
                    return c;
                }
            }
            if (!model.inputNamesRecorded()) {
                return -1;
            }
            int notAnInput = -1;
            for (int c = 0; c < header.size(); c++) {
                if (!model.inputNames().contains(header.get(c))) {
                    if (notAnInput >= 0) {
                        return -1;
                    }
                    notAnInput = c;
                }
            }
            return notAnInput;
        }

        private void parseRow(List<String> cells, long lineNumber) throws IOException {
            if (cells.size() != featureOf.length) {
                throw new IOException(source + " line " + lineNumber + ": expected " + featureOf.length
                        + " columns (the model's " + (featureOf.length == features ? "inputs" : "inputs and the label")
                        + "), found " + cells.size());
            }
            int base = buffered * features;
            for (int c = 0; c < cells.size(); c++) {
                if (featureOf[c] >= 0) {
                    x[base + featureOf[c]] = MissingCells.parse(cells.get(c), options.missing(), source + " line "
                            + lineNumber + ", column " + (c + 1));
                }
            }
            lineOf[buffered] = lineNumber;
            cellsOf[buffered] = cells.toArray(String[]::new);
            buffered++;
        }

        private void flush() throws IOException {
            text.setLength(0);
            if (written == 0 && buffered > 0) {
                writeHeader();
            }
            if (buffered == 0) {
                return;
            }
            double[] y = null;
            try {
                predictor.predict(x, 0, buffered, scores, probabilities, best);
                if (exact != null) {
                    int states = model.generative() ? classes : 1;
                    float[] rows = java.util.Arrays.copyOf(x, buffered * features);
                    y = exact.forward(model.networkInputs(rows, buffered), buffered * states);
                }
            } catch (InvalidFeatureException e) {
                int column = columnOf(e.feature());
                throw new IOException(source + " line " + lineOf[e.row()] + ", column " + (column + 1) + ": "
                        + cellsOf[e.row()][column] + " cannot be used: " + e.reason());
            }
            for (int r = 0; r < buffered; r++) {
                writeRow(r, y);
            }
            // one write per batch: whatever happens later, the output ends on a whole record
            sink.write(text.toString().getBytes(StandardCharsets.UTF_8));
            sink.flush();
            written += buffered;
            buffered = 0;
        }

        private void writeHeader() {
            for (int j = 0; j < classes; j++) {
                text.append(options.probabilities() ? csvCell(model.className(j)) : "out_" + j).append(',');
            }
            text.append("argmax");
            if (model.classNamesRecorded()) {
                text.append(",class");
            }
            if (options.logDensity()) {
                text.append(",log_density");
            }
            text.append('\n');
        }

        private void writeRow(int r, double[] y) {
            int off = r * classes;
            int chosen = best[r];
            if (y != null) {
                chosen = 0;
                for (int j = 1; j < classes; j++) {
                    chosen = y[off + j] > y[off + chosen] ? j : chosen;
                }
                chosen = Double.isFinite(y[off + chosen]) ? chosen : -1;
            }
            for (int j = 0; j < classes; j++) {
                if (y != null) {
                    text.append(y[off + j]);
                } else {
                    text.append(options.probabilities() ? probabilities[off + j] : scores[off + j]);
                }
                text.append(',');
            }
            text.append(chosen);
            if (model.classNamesRecorded()) {
                text.append(',').append(chosen < 0 ? "" : csvCell(model.className(chosen)));
            }
            if (options.logDensity()) {
                text.append(',').append(model.network().kernel().logSumExp(scores, off, classes));
            }
            text.append('\n');
            long line = lineOf[r];
            if (predictor.outOfRange(r)) {
                outOfRange++;
                firstOutOfRange = firstOutOfRange < 0 ? line : firstOutOfRange;
            }
            if (chosen < 0) {
                noFinite++;
                firstNoFinite = firstNoFinite < 0 ? line : firstNoFinite;
            }
        }

        private int columnOf(int feature) {
            for (int c = 0; c < featureOf.length; c++) {
                if (featureOf[c] == feature) {
                    return c;
                }
            }
            throw new IllegalStateException("feature " + feature + " has no column");
        }

        private static String csvCell(String s) {
            return s.contains(",") || s.contains("\"") || s.contains("\n")
                    ? '"' + s.replace("\"", "\"\"") + '"' : s;
        }
    }
}
