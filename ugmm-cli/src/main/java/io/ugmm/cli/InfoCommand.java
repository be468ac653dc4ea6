package io.ugmm.cli;

import io.ugmm.model.UgmmLayer;
import io.ugmm.model.UgmmModel;
import io.ugmm.model.UgmmNetwork;
import io.ugmm.model.io.LoadedModel;
import io.ugmm.model.io.ModelFiles;
import io.ugmm.model.io.ModelMetadata;
import io.ugmm.model.io.SafetensorsFile;
import io.ugmm.model.io.SafetensorsReader;
import io.ugmm.model.io.Tensor;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * {@code ugmm info --model FILE}: what a model file holds (architecture, parameter count, per-layer shapes,
 * element types, metadata), after the same validation as loading it for inference.
 */
final class InfoCommand implements Command {
    private static final int MAX_VALUE_CHARS = 200;

    @Override
    public String name() {
        return "info";
    }

    @Override
    public String summary() {
        return "describe a model file: --model FILE (.safetensors, ugmm's or a PyTorch export)";
    }

    @Override
    public Set<String> valuedOptions() {
        return Set.of("model");
    }

    @Override
    public Map<String, String> optionHelp() {
        return Map.ofEntries(
                Map.entry("model", "model file to describe (required)"));
    }

    @Override
    public int run(Args args, PrintStream out, PrintStream err) throws Exception {
        Path path = Path.of(args.require("model"));
        SafetensorsFile file = SafetensorsReader.read(path);
        LoadedModel model = ModelFiles.fromSafetensors(file);
        UgmmNetwork net = model.network();
        ModelMetadata meta = model.metadata();

        out.printf("file          %s (%d bytes)%n", path, Files.size(path));
        out.printf("format        %s%n", describeFormat(meta));
        out.printf("architecture  %s (%s, %s)%n", ModelFiles.architecture(net), count(net.inputs(), "input"),
                count(net.outputs(), "output"));
        out.printf("parameters    %d%n", net.parameterCount());
        Set<String> dtypes = new TreeSet<>();
        file.tensors().forEach(t -> dtypes.add(t.dtype().name()));
        out.printf("stored as     %s%s%n", String.join(", ", dtypes),
                dtypes.equals(Set.of("F32")) ? "" : " (converted to float when loaded)");
        out.println("layers");
        int index = model.firstLayerIndex();
        for (UgmmLayer layer : net.layers()) {
            String prefix = "layers." + index + ".";
            String shape = file.tensor(prefix + "mu").map(Tensor::shapeString)
                    .orElse("[" + layer.nodes() + ", " + layer.inputs() + "]");
            out.printf("  %-22s %-12s %s over %s%n", prefix + "{mu,std,k}", shape, count(layer.nodes(), "node"),
                    count(layer.inputs(), "input"));
            index++;
        }
        if (!model.ignoredAliases().isEmpty()) {
            out.printf("ignored       %d duplicate layers.<i>.prev_layer.* tensors of the PyTorch reference "
                    + "(equal to the layers above)%n", model.ignoredAliases().size());
        }
        if (meta.isEmpty()) {
            out.println("metadata      (none)");
        } else {
            out.println("metadata");
            int width = meta.asMap().keySet().stream().mapToInt(k -> printable(k).length()).max().orElse(0);
            for (Map.Entry<String, String> e : meta.asMap().entrySet()) {
                out.printf("  %-" + Math.min(width, 40) + "s  %s%n", printable(e.getKey()), shown(e.getKey(),
                        e.getValue()));
            }
        }
        return 0;
    }

    private static String count(int n, String noun) {
        return n + " " + noun + (n == 1 ? "" : "s");
    }

    private static String describeFormat(ModelMetadata meta) {
        String format = meta.get(ModelMetadata.FORMAT).orElse(null);
        if (ModelFiles.FORMAT_NAME.equals(format)) {
            return "ugmm model file, format_version " + printable(meta.get(ModelMetadata.FORMAT_VERSION).orElse("?"));
        }
        if (format == null) {
            return "safetensors without ugmm metadata (e.g. a PyTorch export)";
        }
        if (format.equals("pt")) {
            return "PyTorch export (safetensors format 'pt'), no ugmm metadata";
        }
        return "safetensors with format '" + printable(format) + "', not written by ugmm";
    }

    /** A metadata value for the terminal; lists of names (one per line in the file) as comma-separated names. */
    private static String shown(String key, String value) {
        if (key.equals(UgmmModel.CLASS_NAMES) || key.equals(UgmmModel.INPUT_NAMES)) {
            String[] names = value.split("\n", -1);
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < names.length; i++) {
                sb.append(i == 0 ? "" : ", ").append(names[i]);
            }
            return printable(sb.toString()) + " (" + names.length + ")";
        }
        return printable(value);
    }

    /** File text made safe for a terminal: control characters escaped, long values cut. */
    static String printable(String s) {
        StringBuilder sb = new StringBuilder();
        int n = Math.min(s.length(), MAX_VALUE_CHARS);
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0)) {
                sb.append(String.format("\\u%04x", (int) c));
            } else {
                sb.append(c);
            }
        }
        if (s.length() > n) {
            sb.append("... (").append(s.length()).append(" characters)");
        }
        return sb.toString();
    }
}
