package io.ugmm.jmh;

import io.ugmm.model.UgmmLayer;
import io.ugmm.model.UgmmNetwork;
import io.ugmm.model.train.Adam;
import io.ugmm.model.train.Trainer;
import io.ugmm.simd.MixtureKernel;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Where a training step's time goes: the step ({@link Trainer#fit} over {@link StepVsForwardBench#STEPS}
 * batches, per batch) and its parts timed on their own through the public kernel and Adam APIs (forward of
 * each layer, backward of each layer with the training path's arguments, Adam over every parameter), all
 * in alternating rounds of thread CPU time on one thread, as ratios to the inference forward pass of the
 * same batch. What the parts do not explain is the step's plumbing (banks, dropout mask, loss, reduction).
 *
 * <pre>{@code java --add-modules jdk.incubator.vector -cp jmh/target/benchmarks.jar io.ugmm.jmh.StepCostMain [batch] [rounds]}</pre>
 */
public final class StepCostMain {
    public static void main(String[] args) {
        int batch = args.length > 0 ? Integer.parseInt(args[0]) : 128;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 7;
        StepVsForwardBench bench = new StepVsForwardBench();
        bench.batch = batch;
        bench.setUp();
        UgmmNetwork net = bench.network();
        MixtureKernel kernel = net.kernel();
        int layers = net.layers().size();
        float[] x = bench.firstBatch();

        // the training path's saved activations and an incoming gradient of realistic size
        float[][] acts = new float[layers][];
        float[] src = x;
        float[] scratch = new float[MixtureKernel.scratchLength(net.inputs())];
        for (int l = 0; l < layers; l++) {
            UgmmLayer layer = net.layers().get(l);
            acts[l] = new float[batch * layer.nodes()];
            kernel.forward(src, 0, batch, layer.bank(), acts[l], 0, scratch);
            src = acts[l];
        }
        float[][] gOut = new float[layers][];
        float[][] grads = new float[layers][];
        float[][] gx = new float[layers][];
        for (int l = 0; l < layers; l++) {
            UgmmLayer layer = net.layers().get(l);
            gOut[l] = BenchData.inputs(batch * layer.nodes(), BenchData.SEED + 10 + l);
            for (int i = 0; i < gOut[l].length; i++) {
                gOut[l][i] *= 1e-3f;
            }
            grads[l] = new float[3 * layer.nodes() * layer.inputs()];
            gx[l] = l == 0 ? null : new float[batch * layer.inputs()];
        }
        Adam adam = Adam.standard();
        float[][] params = new float[layers][];
        float[][] adamM = new float[layers][];
        float[][] adamV = new float[layers][];
        for (int l = 0; l < layers; l++) {
            params[l] = new float[grads[l].length];
            adamM[l] = new float[grads[l].length];
            adamV[l] = new float[grads[l].length];
        }

        List<String> names = new ArrayList<>();
        List<Runnable> parts = new ArrayList<>();
        names.add("inference forward (the unit)");
        parts.add(bench::forward);
        names.add("training step (fit / steps)");
        parts.add(bench::steps);
        names.add("training forward, all layers");
        parts.add(() -> {
            float[] s = x;
            for (int l = 0; l < layers; l++) {
                kernel.forward(s, 0, batch, net.layers().get(l).bank(), acts[l], 0, scratch);
                s = acts[l];
            }
        });
        for (int l = 0; l < layers; l++) {
            int layer = l;
            UgmmLayer ul = net.layers().get(l);
            names.add("backward layer " + l + " (" + ul.inputs() + " -> " + ul.nodes() + (l == 0 ? ", no dx)" : ", with dx)"));
            float[] in = l == 0 ? x : acts[l - 1];
            parts.add(() -> kernel.backward(in, 0, batch, ul.bank(), acts[layer], 0, gOut[layer], 0, grads[layer], 0,
                    gx[layer], 0));
        }
        names.add("Adam over all parameters");
        parts.add(() -> {
            adam.beginStep();
            for (int l = 0; l < layers; l++) {
                adam.update(params[l], 0, grads[l], 0, adamM[l], adamV[l], 0, params[l].length, 1e-3);
            }
        });

        var threads = ManagementFactory.getThreadMXBean();
        int n = parts.size();
        System.out.println("JDK " + System.getProperty("java.version") + ", " + kernel.name() + " kernel ("
                + kernel.vectorBits() + " bits), network " + net.architecture() + ", batch " + batch + ", "
                + rounds + " rounds of 200 ms per part, thread CPU time");
        for (int w = 0; w < 2; w++) {
            for (Runnable p : parts) {
                ModelOverheadMain.perCall(p, threads);
            }
        }
        double[][] times = new double[n][rounds];
        double[][] ratios = new double[n][rounds];
        for (int r = 0; r < rounds; r++) {
            for (int k = 0; k < n; k++) {
                int i = r % 2 == 0 ? k : n - 1 - k;
                times[i][r] = ModelOverheadMain.perCall(parts.get(i), threads) / (i == 1 ? StepVsForwardBench.STEPS : 1);
            }
            for (int i = 0; i < n; i++) {
                ratios[i][r] = times[i][r] / times[0][r];
            }
        }
        double explained = 0;
        for (int i = 0; i < n; i++) {
            double ms = ModelOverheadMain.median(times[i]) / 1e6;
            System.out.printf(Locale.ROOT, "  %-34s %8.3f ms  %6.2fx forward (rounds %.2f-%.2f)%n", names.get(i), ms,
                    ModelOverheadMain.median(ratios[i]), Arrays.stream(ratios[i]).min().orElse(0),
                    Arrays.stream(ratios[i]).max().orElse(0));
            if (i >= 2) {
                explained += ms;
            }
        }
        double step = ModelOverheadMain.median(times[1]) / 1e6;
        System.out.printf(Locale.ROOT, "  %-34s %8.3f ms  %6.2fx forward%n", "rest of the step (plumbing)",
                step - explained, (step - explained) / (ModelOverheadMain.median(times[0]) / 1e6));
    }

    private StepCostMain() {
    }
}
