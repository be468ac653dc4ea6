package io.ugmm.jmh;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The benchmarks' setups (their correctness checks) run in the build; the timing never does. */
class BenchSetupTest {

    @Test
    void forwardKernelSetupAcceptsEveryShape() {
        for (String shape : new String[] {"33x207x13", "1x784x128", "4x16x4"}) {
            ForwardKernelBench bench = new ForwardKernelBench();
            bench.shape = shape;
            bench.setUp();
            ElementCounter counter = new ElementCounter();
            bench.vector(counter);
            assertEquals(KernelShape.parse(shape).elements(), counter.elements);
        }
    }

    @Test
    void backwardKernelSetupAcceptsEveryShape() {
        for (String shape : new String[] {"33x207x13", "1x784x128", "4x16x4"}) {
            BackwardKernelBench bench = new BackwardKernelBench();
            bench.shape = shape;
            bench.setUp();
            ElementCounter counter = new ElementCounter();
            bench.vector(counter);
            assertEquals(KernelShape.parse(shape).elements(), counter.elements);
        }
    }

    @Test
    void trainingStepSetupAndOneEpoch() {
        TrainingStepBench bench = new TrainingStepBench();
        bench.threads = "1";
        bench.setUp();
        assertEquals(10, bench.step().outputs());
    }

    @Test
    void stepVsForwardSetupAndBothBenchmarks() {
        for (int batch : new int[]{128, 256}) {
            StepVsForwardBench bench = new StepVsForwardBench();
            bench.batch = batch;
            bench.setUp();
            assertEquals(batch * 10, bench.forward().length);
            assertEquals(10, bench.step().outputs());
        }
    }

    @Test
    void networkSetupAndThreadState() {
        NetworkBench bench = new NetworkBench();
        bench.setUp();
        NetworkBench.PerThread t = new NetworkBench.PerThread();
        t.setUp(bench);
        float[] network = bench.batch1(t).clone();
        assertEquals(10, network.length);
        // the kernels-only twin must do exactly the network's work
        org.junit.jupiter.api.Assertions.assertArrayEquals(network, bench.kernelsOnlyBatch1(t));
        assertEquals(NetworkBench.BATCH * 10, bench.batch256(t).length);
    }

    @Test
    void disagreementIsRefused() {
        float[] reference = {-1f, -2f, -3f};
        float[] wrong = {-1f, -2.5f, -3f};
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> BenchData.requireAgreement("test", reference, wrong, 3, BenchData.KERNEL_TOLERANCE));
        assertEquals(true, e.getMessage().contains("column 1"), e.getMessage());
    }

    @Test
    void shapeParsing() {
        assertEquals(new KernelShape(256, 784, 128), KernelShape.parse("256x784x128"));
        assertThrows(IllegalArgumentException.class, () -> KernelShape.parse("256,784,128"));
        assertThrows(IllegalArgumentException.class, () -> KernelShape.parse("0x1x1"));
    }
}
