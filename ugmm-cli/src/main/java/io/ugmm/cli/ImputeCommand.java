package io.ugmm.cli;

import io.ugmm.datasets.CsvReader;
import io.ugmm.model.Imputation;
import io.ugmm.model.Imputer;
import io.ugmm.model.InvalidFeatureException;
import io.ugmm.model.MissingPolicy;
import io.ugmm.model.UgmmModel;
import io.ugmm.model.internal.AtomicFileWriter;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code ugmm impute --model FILE --input CSV [--output CSV] [--restarts N]}: fills every missing cell (empty,
 * {@code NaN} or {@code ?}) with the model's most likely value given the row's other cells (see
 * {@link Imputer}), in the input's units. Input: one column per model input, in the model's order or, with a
 * header naming them, in any order; output: the same columns (observed cells as written) and the class chosen
 * with the filled values.
 */
final class ImputeCommand implements Command {
    @Override
    public String name() {
        return "impute";
    }

    @Override
    public String summary() {
        return "fill missing CSV cells with the model's most likely values: --model FILE --input CSV [--output CSV]";
    }

    @Override
    public Set<String> valuedOptions() {
        return Set.of("model", "input", "output", "restarts", "delimiter");
    }

    @Override
    public Map<String, String> optionHelp() {
        return Map.of(
                "model", "model file (required)",
                "input", "CSV file with missing cells (empty, NaN or ?) (required)",
                "output", "CSV file to write, replaced atomically (default: standard output)",
                "restarts", "starting points per label state for the gradient ascent (default 4)",
                "delimiter", "the input's column separator: one character, or tab (default ,)");
    }

    @Override
    public int run(Args args, PrintStream out, PrintStream err) throws Exception {
        Path input = Path.of(args.require("input"));
        String output = args.get("output", null);
        if (output != null) {
            AtomicFileWriter.checkWritable(Path.of(output));
        }
        int restarts = args.getInt("restarts", 4);
        if (restarts < 1 || restarts > 1000) {
            throw new UsageException("--restarts must be in [1, 1000], found " + restarts);
        }
        char delimiter = PredictCommand.delimiter(args.get("delimiter", ","));
        UgmmModel model = UgmmModel.load(Path.of(args.require("model")));
        List<String> lines;
        try {
            lines = Files.readAllLines(input, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new IOException(input + ": no such file", e);
        }
        String text = impute(model, new Imputer(model, restarts), lines, delimiter, input.toString(), err);
        if (output == null) {
            out.print(text);
            out.flush();
        } else {
            AtomicFileWriter.write(Path.of(output), (OutputStream stream) ->
                    stream.write(text.getBytes(StandardCharsets.UTF_8)));
            err.println("wrote " + output);
        }
        return 0;
    }

    private static String impute(UgmmModel model, Imputer imputer, List<String> lines, char delimiter,
                                 String source, PrintStream err) throws IOException {
        int n = model.inputCount();
        int[] featureOf = null;
        StringBuilder text = new StringBuilder();
        long filled = 0;
        long rows = 0;
        for (int l = 0; l < lines.size(); l++) {
            String line = l == 0 && lines.get(0).startsWith("\uFEFF") ? lines.get(0).substring(1) : lines.get(l);
            if (line.isBlank()) {
                continue;
            }
            String where = source + " line " + (l + 1);
            List<String> cells = CsvReader.splitLine(line, delimiter, where);
            if (featureOf == null) {
                boolean header = cells.stream().noneMatch(c -> CsvReader.looksLikeNumber(c) || MissingCells.isMissing(c));
                featureOf = columns(model, cells, header, where);
                writeHeader(model, text);
                if (header) {
                    continue;
                }
            }
            if (cells.size() != n) {
                throw new IOException(where + ": expected " + n + " columns, found " + cells.size());
            }
            float[] row = new float[n];
            for (int c = 0; c < n; c++) {
                row[featureOf[c]] = MissingCells.parse(cells.get(c), MissingPolicy.MARGINALIZE, where + ", column "
                        + (c + 1));
            }
            Imputation done;
            try {
                done = imputer.impute(row);
            } catch (InvalidFeatureException e) {
                throw new IOException(where + ": " + e.reason());
            }
            for (int f = 0; f < n; f++) {
                int c = columnOf(featureOf, f);
                text.append(f == 0 ? "" : ",").append(row[f] != row[f] ? Float.toString(done.feature(f))
                        : cells.get(c).trim());
            }
            text.append(',').append(done.className() == null ? "" : done.className()).append('\n');
            filled += done.filledCount();
            rows++;
        }
        if (rows == 0) {
            throw new IOException(source + ": no data rows (the file is empty or has only a header line)");
        }
        err.println("filled " + filled + " cells in " + rows + " rows");
        return text.toString();
    }

    /** For each CSV column, the model input it holds: by the header's names when the model records them. */
    private static int[] columns(UgmmModel model, List<String> cells, boolean header, String where)
            throws IOException {
        int n = model.inputCount();
        if (cells.size() != n) {
            throw new IOException(where + ": " + (header ? "the header has " : "the row has ") + cells.size()
                    + " columns but the model takes " + n + " inputs (" + String.join(", ", model.inputNames()) + ")");
        }
        int[] featureOf = new int[n];
        List<String> seen = new ArrayList<>();
        for (int c = 0; c < n; c++) {
            featureOf[c] = c;
            if (header && model.inputNamesRecorded()) {
                String name = cells.get(c).trim();
                int f = model.inputNames().indexOf(name);
                if (f < 0 || seen.contains(name)) {
                    throw new IOException(where + ": " + (f < 0 ? "unknown column '" : "column given twice: '") + name
                            + "'; the model's inputs are " + String.join(", ", model.inputNames()));
                }
                seen.add(name);
                featureOf[c] = f;
            }
        }
        return featureOf;
    }

    private static int columnOf(int[] featureOf, int feature) {
        for (int c = 0; c < featureOf.length; c++) {
            if (featureOf[c] == feature) {
                return c;
            }
        }
        throw new IllegalStateException("feature " + feature + " has no column");
    }

    private static void writeHeader(UgmmModel model, StringBuilder text) {
        text.append(String.join(",", model.inputNames())).append(",class\n");
    }
}
