package io.ugmm.simd;

/** Prints the kernel choice of a fresh JVM; run by {@link KernelChoiceTest} with different flags. */
public final class KernelChoiceMain {
    private KernelChoiceMain() {
    }

    public static void main(String[] args) {
        System.out.println(MixtureKernels.describe());
    }
}
