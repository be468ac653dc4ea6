package io.ugmm.simd;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The start-up choice, in fresh JVMs: with and without the incubator module, and forced either way. */
class KernelChoiceTest {

    private static String choice(boolean addModule, String... properties) throws IOException, InterruptedException {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> cmd = new ArrayList<>(List.of(java));
        if (addModule) {
            cmd.add("--add-modules");
            cmd.add("jdk.incubator.vector");
        }
        cmd.addAll(List.of(properties));
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), KernelChoiceMain.class.getName()));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), out);
        return out;
    }

    @Test
    void fallsBackToScalarWithAClearReasonWithoutTheModule() throws Exception {
        String out = choice(false);
        assertTrue(out.contains("ugmm kernel: scalar"), out);
        assertTrue(out.contains("--add-modules jdk.incubator.vector"), out);
    }

    @Test
    void choosesVectorWithTheModule() throws Exception {
        assertTrue(choice(true).contains("ugmm kernel: vector"));
    }

    @Test
    void fallsBackToScalarWhereVectorCodeIsNotCompiled() throws Exception {
        String c1Only = choice(true, "-XX:TieredStopAtLevel=1");
        assertTrue(c1Only.contains("ugmm kernel: scalar") && c1Only.contains("C2 is disabled"), c1Only);
        String interpreted = choice(true, "-Xint");
        assertTrue(interpreted.contains("ugmm kernel: scalar") && interpreted.contains("interpreted only"), interpreted);
        String noFma = choice(true, "-XX:-UseFMA");
        assertTrue(noFma.contains("ugmm kernel: scalar") && noFma.contains("no hardware FMA"), noFma);
        // forcing still gives vector (tests and benchmarks of the vector kernel under any JIT)
        assertTrue(choice(true, "-Xint", "-Dugmm.simd=vector").contains("ugmm kernel: vector"));
    }

    @Test
    void propertyForcesEitherKernel() throws Exception {
        assertTrue(choice(true, "-Dugmm.simd=scalar").contains("ugmm kernel: scalar (32-bit float lanes; forced"));
        assertTrue(choice(true, "-Dugmm.simd=vector", "-Dugmm.simd.bits=256")
                .contains("ugmm kernel: vector (256-bit float lanes; forced"));
    }
}
