package io.ugmm.cli;

import io.ugmm.model.DoublePrecisionEvaluator;
import io.ugmm.model.UgmmNetwork;
import io.ugmm.model.Workspace;
import io.ugmm.simd.MixtureKernel;
import io.ugmm.simd.MixtureKernels;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Runs something real with no data to find: builds the reference's MNIST-shaped network
 * (784 -> 128 -> 64 -> 10) from a seed, checks the chosen kernel against the scalar reference on a
 * batch, reports batch-256 throughput and batch-1 latency, then trains the reference's Iris setup on
 * the built-in data, saves it, loads it back and evaluates it.
 */
final class DemoCommand implements Command {
    @Override
    public String name() {
        return "demo";
    }

    @Override
    public String summary() {
        return "built-in demo: 784-128-64-10 network speed and kernel check, then train and evaluate Iris";
    }

    @Override
    public Set<String> valuedOptions() {
        return Set.of("seed", "seconds");
    }

    @Override
    public Map<String, String> optionHelp() {
        return Map.ofEntries(
                Map.entry("seed", "seed of the demo network and of the Iris training (default 42)"),
                Map.entry("seconds", "time for the speed check (default 2.0)"));
    }

    @Override
    public int run(Args args, PrintStream out, PrintStream err) throws IOException {
        long seed = args.getInt("seed", 42);
        double seconds = args.getDouble("seconds", 2.0);
        if (!(seconds > 0 && seconds <= 600)) {
            throw new UsageException("--seconds must be in (0, 600], found " + seconds);
        }
        UgmmNetwork net = UgmmNetwork.builder(784).layer(128).layer(64).layer(10).seed(seed).build();
        MixtureKernel kernel = MixtureKernels.preferred();
        out.println(MixtureKernels.describe());
        out.println("JDK " + Runtime.version() + ", " + Runtime.getRuntime().availableProcessors() + " cores");
        out.println("network " + net.architecture() + ", " + net.parameterCount() + " parameters (seed " + seed + ")");

        int batch = 256;
        float[] x = new float[batch * net.inputs()];
        SplittableRandom random = new SplittableRandom(seed + 1);
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) (random.nextDouble() * 4 - 2);
        }
        float[] fast = net.forwardBatch(x, batch);
        // each float path against a double-precision evaluation of the same parameters and inputs
        UgmmNetwork firstLayer = UgmmNetwork.of(net.layers().subList(0, 1));
        double[] layerExact = new DoublePrecisionEvaluator(firstLayer).forward(x, batch);
        double[] rootExact = new DoublePrecisionEvaluator(net).forward(x, batch);
        out.printf("accuracy on %d rows, max relative difference from double precision:%n", batch);
        out.printf("  first layer: %s %.1e, scalar %.1e%n", kernel.name(),
                maxRelativeDifference(firstLayer.forwardBatch(x, batch), layerExact),
                maxRelativeDifference(firstLayer.withKernel(MixtureKernels.scalar()).forwardBatch(x, batch), layerExact));
        out.printf("  root:        %s %.1e, scalar %.1e%n", kernel.name(), maxRelativeDifference(fast, rootExact),
                maxRelativeDifference(net.withKernel(MixtureKernels.scalar()).forwardBatch(x, batch), rootExact));
        out.println("  (one layer is as exact as float allows; deeper layers amplify float rounding through steep"
                + " components, in any float evaluation: README, Accuracy; predict --precision double avoids it)");
        int[] histogram = new int[net.outputs()];
        for (int b = 0; b < batch; b++) {
            histogram[UgmmNetwork.argmax(fast, b * net.outputs(), net.outputs())]++;
        }
        out.println("argmax histogram over the batch: " + java.util.Arrays.toString(histogram));

        Workspace ws = net.newWorkspace(batch);
        float[] outs = new float[batch * net.outputs()];
        long elementsPerBatch = 0;
        int in = net.inputs();
        for (var layer : net.layers()) {
            elementsPerBatch += (long) batch * layer.nodes() * in;
            in = layer.nodes();
        }
        double perCall = nanosPerCall(seconds / 2, () -> net.forward(x, 0, batch, outs, 0, ws));
        out.printf("batch 256: %.0f samples/s, %.2f G mixture elements/s (one thread)%n",
                batch * 1e9 / perCall, elementsPerBatch * 1e9 / perCall / 1e9);

        Workspace ws1 = net.newWorkspace(1);
        float[] out1 = new float[net.outputs()];
        double perRow = nanosPerCall(seconds / 2, () -> net.forward(x, 0, 1, out1, 0, ws1));
        out.printf("batch 1: %.1f us per row (one thread)%n", perRow / 1e3);
        return trainIris(out, err);
    }

    /** The reference's Iris run on the built-in data: train, save, load back and evaluate. */
    private static int trainIris(PrintStream out, PrintStream err) throws IOException {
        out.println();
        out.println("training the generative Iris setup (built-in data; 'ugmm train --dataset iris'):");
        Path model = Files.createTempFile("ugmm-demo-iris", ".safetensors");
        try {
            int code = Main.run(new String[] {"train", "--dataset", "iris", "--out", model.toString(),
                    "--log-every", "1000"}, out, err);
            if (code != 0) {
                return code;
            }
            out.println();
            out.println("the saved model, loaded back ('ugmm eval --model FILE'):");
            return Main.run(new String[] {"eval", "--model", model.toString()}, out, err);
        } finally {
            Files.deleteIfExists(model);
        }
    }

    private static double maxRelativeDifference(float[] a, double[] reference) {
        double worst = 0;
        for (int i = 0; i < a.length; i++) {
            worst = Math.max(worst, Math.abs(a[i] - reference[i]) / Math.max(1e-6, Math.abs(reference[i])));
        }
        return worst;
    }

    /** Runs {@code body} for half a second of warm-up, then for {@code seconds}; returns the mean time per call. */
    private static double nanosPerCall(double seconds, Runnable body) {
        long warmEnd = System.nanoTime() + 500_000_000L;
        while (System.nanoTime() < warmEnd) {
            body.run();
        }
        long start = System.nanoTime();
        long end = start + (long) (seconds * 1e9);
        long calls = 0;
        long now;
        do {
            body.run();
            calls++;
            now = System.nanoTime();
        } while (now < end);
        return (now - start) / (double) calls;
    }
}
