package io.ugmm.simd;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The vector kernel gives the same bits interpreted and compiled: a model's outputs must not change
 * when the JIT warms up, nor differ between a cold and a hot thread.
 */
class DeterminismTest {
    @Test
    void interpretedAndCompiledResultsAreIdentical() throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        // the same vector width as this JVM (the pom runs the kernel tests at several)
        String bits = "-Dugmm.simd.bits=" + System.getProperty("ugmm.simd.bits", "");
        Process p = new ProcessBuilder(List.of(java, "-Xint", "--add-modules", "jdk.incubator.vector", bits,
                "-cp", System.getProperty("java.class.path"), KernelBitsMain.class.getName()))
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String interpreted = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertEquals(0, p.waitFor());
        // every entry point called 20,000 times: each is compiled by C2 before the last call
        String compiled = KernelBitsMain.bits(20_000);
        assertEquals(interpreted, compiled);
    }
}
