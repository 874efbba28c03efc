package org.fusionmpc.samples.bench;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The agreement check counts an exact tie in ONNX Runtime's logits as agreement, and nothing wider. */
class InferBenchTieTest {

    @Test
    void aLabelOnAnExactTieAgreesAndAClearLossDoesNot() {
        double[] want = {0.1, 3.305, 3.304, -2};
        assertTrue(InferBench.tie(want, 2), "3.304 against 3.305: within fixed point's reach");
        assertTrue(InferBench.tie(want, 1), "the argmax itself");
        assertFalse(InferBench.tie(want, 0), "0.1 against 3.305 is a real disagreement");
        assertFalse(InferBench.tie(want, 3));
        assertFalse(InferBench.tie(want, -1), "no class");
        assertFalse(InferBench.tie(want, 4), "out of range");
        assertFalse(InferBench.tie(new double[] {0.5, 0.44}, 1), "0.06 apart at a scale below 1: tolerance 0.02");
        assertTrue(InferBench.tie(new double[] {0.5, 0.49}, 1));
    }
}
