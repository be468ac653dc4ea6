package io.ugmm.model.train;

import io.ugmm.model.MissingPolicy;
import io.ugmm.model.UgmmLayer;
import io.ugmm.model.UgmmModel;
import io.ugmm.model.UgmmNetwork;
import io.ugmm.simd.MixtureBank;
import io.ugmm.simd.MixtureKernel;
import io.ugmm.simd.MixtureKernels;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Marginalising missing inputs is the training-time forward pass with the first layer's components of those
 * inputs dropped (the dropout mask equal to the missing set): the same masked log-softmax of the logits.
 */
class MissingInputsMatchDropoutTest {

    @Test
    void marginalisedScoresEqualTheDropoutMaskedForward() {
        List<MixtureKernel> kernels = new ArrayList<>(List.of(MixtureKernels.scalar()));
        MixtureKernels.vector().ifPresent(kernels::add);
        for (MixtureKernel kernel : kernels) {
            UgmmNetwork network = UgmmNetwork.builder(7).layer(9).layer(4).layer(3).seed(11).build().withKernel(kernel);
            UgmmModel model = UgmmModel.builder(network).loss(Loss.CROSS_ENTROPY).build();
            SplittableRandom random = new SplittableRandom(5);
            for (int trial = 0; trial < 50; trial++) {
                float[] row = new float[7];
                boolean[] missing = new boolean[7];
                int observed = 0;
                for (int i = 0; i < 7; i++) {
                    row[i] = (float) (random.nextDouble() * 4 - 2);
                    missing[i] = random.nextDouble() < 0.5;
                    observed += missing[i] ? 0 : 1;
                }
                if (observed == 0) {
                    missing[0] = false;
                }
                float[] withNaN = row.clone();
                for (int i = 0; i < 7; i++) {
                    withNaN[i] = missing[i] ? Float.NaN : row[i];
                }
                float[] expected = maskedForward(network, row, missing, kernel);
                float[] actual = model.predict(withNaN, MissingPolicy.MARGINALIZE).logScores();
                for (int k = 0; k < expected.length; k++) {
                    assertEquals(expected[k], actual[k], 2e-5 * Math.max(1, Math.abs(expected[k])),
                            kernel.name() + " trial " + trial + " output " + k);
                }
            }
        }
    }

    /** The training forward: layer 0 built from DropoutMask's masked log-weights, then the plain layers. */
    private static float[] maskedForward(UgmmNetwork network, float[] row, boolean[] missing, MixtureKernel kernel) {
        UgmmLayer first = network.layers().get(0);
        int inputs = first.inputs();
        int nodes = first.nodes();
        int[] widths = {inputs, nodes, 4, 3};
        boolean[] dropped = new boolean[nodes * inputs];
        for (int j = 0; j < nodes; j++) {
            for (int i = 0; i < inputs; i++) {
                dropped[j * inputs + i] = missing[i];
            }
        }
        DropoutMask mask = DropoutMask.of(widths, new boolean[][] {dropped, null, null});
        float[] logWeights = mask.logWeights(0, first.logits(), new float[nodes * inputs]);
        MixtureBank bank = MixtureBank.of(nodes, inputs, first.mu(), first.logStd(), logWeights);
        float[] scratch = new float[MixtureKernel.scratchLength(16)];
        float[] h = new float[nodes];
        kernel.forward(row, 0, 1, bank, h, 0, scratch);
        for (int l = 1; l < network.layers().size(); l++) {
            float[] next = new float[network.layers().get(l).nodes()];
            kernel.forward(h, 0, 1, network.layers().get(l).bank(), next, 0, scratch);
            h = next;
        }
        return h;
    }
}
