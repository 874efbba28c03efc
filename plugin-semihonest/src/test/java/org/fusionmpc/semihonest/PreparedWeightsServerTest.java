package org.fusionmpc.semihonest;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.fusionmpc.api.session.MemoryBudget;
import org.fusionmpc.api.testing.TwoParties;
import org.fusionmpc.ring.FixedPoint;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Weights prepared once per server: a prepared server answers session after session as a server that prepares
 * nothing does (and as ONNX Runtime does), the preparation's heap is held in the session budget, and a budget
 * too small for them is reported (auto) or refused (on), never silently overrun.
 */
@Timeout(300)
class PreparedWeightsServerTest {

    static final Path MODEL = Path.of("..", "models", "minionn-cnn.onnx");
    static final Network NET = OnnxImporter.load(MODEL);

    @ParameterizedTest(name = "{0}")
    @EnumSource(TwoParties.class)
    void threeSessionsOnPreparedWeightsAnswerAsAFreshServerAndOnnxRuntime(TwoParties parties) throws Exception {
        InferenceServer prepared = new InferenceServer(NET, FixedPoint.defaults(), 16, true).withPrepareWeights(PrepareWeights.ON);
        String report = prepared.prepareWeights();
        assertTrue(report.startsWith("RLWE weights prepared (on)") && report.contains("MB"), report);
        assertTrue(prepared.preparedWeightBytes() > 0);
        assertEquals(prepared.preparedWeightBytes(), prepared.memoryBudget().reserved(), "the weights' heap is held in the budget");
        assertEquals(report, prepared.withThreads(1).prepareWeights(), "copies share one preparation");
        InferenceServer fresh = new InferenceServer(NET, FixedPoint.defaults(), 16, true).withPrepareWeights(PrepareWeights.OFF);
        Mnist.Dataset data = Mnist.testSubset().first(9);
        try (OnnxRuntimeReference ort = new OnnxRuntimeReference(MODEL, ModelsTest.MNIST_SHAPE)) {
            for (int session = 0; session < 3; session++) {
                int from = 3 * session;
                Mnist.Dataset batch = new Mnist.Dataset(java.util.Arrays.copyOfRange(data.images(), from, from + 3),
                        java.util.Arrays.copyOfRange(data.labels(), from, from + 3));
                double[][][] logits = new double[2][][];
                int k = 0;
                for (InferenceServer s : new InferenceServer[] {prepared, fresh}) {
                    Object[] r = parties.run(s::serve, ch -> new InferenceClient(OutputMode.LOGITS, LinearMode.HE, ComparisonMode.OT)
                            .classify(ch, batch.images()));
                    logits[k++] = ((InferenceResult) r[1]).logits();
                }
                for (int i = 0; i < batch.size(); i++) {
                    double[] want = ort.logits(batch.images()[i]);
                    assertArrayEquals(want, logits[0][i], ModelsTest.LOGIT_TOLERANCE, "prepared, session " + session + " image " + i);
                    assertArrayEquals(logits[1][i], logits[0][i], 2 * ModelsTest.LOGIT_TOLERANCE, "prepared against fresh");
                }
            }
        }
        assertEquals(prepared.preparedWeightBytes(), prepared.memoryBudget().reserved(), "sessions return what they reserved");
    }

    @Test
    void aBudgetTooSmallIsReportedUnderAutoAndRefusedUnderOn() {
        long need = ServerWeights.estimate(NET);
        assertTrue(need > 0);
        MemoryBudget small = new MemoryBudget(need / 2);
        String auto = new InferenceServer(NET, FixedPoint.defaults(), 16, true).withMemoryBudget(small)
                .withPrepareWeights(PrepareWeights.AUTO).prepareWeights();
        assertTrue(auto.startsWith("RLWE weights not prepared (auto)") || auto.contains("would not fit"), auto);
        IllegalStateException on = assertThrows(IllegalStateException.class, () -> new InferenceServer(NET, FixedPoint.defaults(), 16, true)
                .withMemoryBudget(new MemoryBudget(need / 2)).withPrepareWeights(PrepareWeights.ON).prepareWeights());
        assertTrue(on.getMessage().contains("--prepare-weights on") && on.getMessage().contains("-Xmx"), on.getMessage());
        String off = new InferenceServer(NET, FixedPoint.defaults(), 16, true).withPrepareWeights(PrepareWeights.OFF).prepareWeights();
        assertTrue(off.contains("not prepared (off)"), off);
        assertEquals("auto", PrepareWeights.of("AUTO").id());
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class, () -> PrepareWeights.of("sometimes"));
        assertTrue(bad.getMessage().contains("auto, on or off"), bad.getMessage());
    }
}
