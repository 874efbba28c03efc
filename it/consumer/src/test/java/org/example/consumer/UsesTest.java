package org.example.consumer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.fusionmpc.inference.Answer;
import org.fusionmpc.semihonest.Mnist;
import org.junit.jupiter.api.Test;

/** Runs on the module path: the SDK's jars as named modules, this project's as org.example.consumer. */
class UsesTest {

    @Test
    void theSdkIsOnTheModulePathAsNamedModules() {
        assertEquals("org.example.consumer", Uses.class.getModule().getName());
        assertEquals("org.fusionmpc.gc", org.fusionmpc.gc.GcComparisons.class.getModule().getName());
        assertEquals("org.fusionmpc.api", org.fusionmpc.api.spi.Protocols.class.getModule().getName());
    }

    @Test
    void aComparisonOnShares() throws Exception {
        long[] x = {3, -7, 100, 0, 55};
        long[] y = {4, -8, 100, 1, -55};
        assertArrayEquals(new long[] {1, 0, 0, 1, 0}, Uses.lessThan(x, y));
    }

    @Test
    void anOtBatch() throws Exception {
        int n = 1000;
        long[][] r = Uses.randomOts(n);
        for (int i = 0; i < n; i++) {
            boolean c = (r[2][i / 64] >>> (i % 64) & 1) != 0;
            long[] m = c ? r[1] : r[0];
            assertEquals(m[2 * i], r[3][2 * i], "OT " + i);
            assertEquals(m[2 * i + 1], r[3][2 * i + 1], "OT " + i);
        }
    }

    @Test
    void aBristolCircuit() throws Exception {
        // A 2-bit adder mod 4: garbler a, evaluator b, output a + b.
        String adder = "4 8\n2 2 2\n1 2\n\n2 1 0 2 6 XOR\n2 1 0 2 4 AND\n2 1 1 3 5 XOR\n2 1 5 4 7 XOR\n";
        long[] out = Uses.bristol(adder, 3, 2); // 3 + 2 = 5 = 1 mod 4
        assertEquals(1, out[0] & 3);
    }

    @Test
    void aFusionInferenceSelectedByName() throws Exception {
        Mnist.Dataset d = Mnist.testSubset();
        Object[] r = Uses.fusionByName(Path.of(System.getProperty("fusion.models"), "secureml-mlp.onnx"), 0.97, new double[][] {d.images()[0]});
        Answer answer = (Answer) r[0];
        assertEquals(Answer.Check.ACCEPTED, answer.check(), answer.failures().toString());
        assertEquals(d.labels()[0], answer.labels()[0]);
        assertEquals("org.fusionmpc.fusion", r[1].getClass().getModule().getName());
        assertTrue(r[1].getClass().getModule().isNamed());
    }
}
