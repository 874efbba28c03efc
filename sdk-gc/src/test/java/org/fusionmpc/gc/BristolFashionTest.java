package org.fusionmpc.gc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.StringReader;
import java.io.StringWriter;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class BristolFashionTest {

    /**
     * A 2-bit adder written by hand: inputs a (wires 0-1) and b (wires 2-3), output 2 bits mod 4 (wires 6-7),
     * s0 = a0 ⊕ b0, carry = a0 ∧ b0, s1 = a1 ⊕ b1 ⊕ carry.
     */
    static final String ADDER_2 = """
            4 8
            2 2 2
            1 2

            2 1 0 2 6 XOR
            2 1 0 2 4 AND
            2 1 1 3 5 XOR
            2 1 5 4 7 XOR
            """;

    @Test
    void aHandWrittenAdderAddsModFour() {
        Circuit c = BristolFashion.read(new StringReader(ADDER_2), 1);
        assertEquals(2, c.garblerInputs());
        assertEquals(2, c.evaluatorInputs());
        assertEquals(1, c.andGates());
        for (int a = 0; a < 4; a++) {
            for (int b = 0; b < 4; b++) {
                long[] out = c.evaluate(new long[] {a & 1, a >> 1}, new long[] {b & 1, b >> 1});
                assertEquals((a + b) & 3, (out[0] & 1) | (out[1] & 1) << 1, a + "+" + b);
            }
        }
    }

    @Test
    void libraryCircuitsSurviveARoundTrip() {
        SplittableRandom r = new SplittableRandom(3);
        Circuit[] circuits = {ShareCircuits.relu(64), ShareCircuits.max(32, 4), ShareCircuits.argmax(16, 10),
            CircuitsTest.circuit(CircuitsTest.Op.LT_SIGNED, 64)};
        for (Circuit c : circuits) {
            StringWriter w = new StringWriter();
            BristolFashion.write(c, w);
            Circuit back = BristolFashion.read(new StringReader(w.toString()), c.garblerInputs() > 0 ? 1 : 0);
            assertEquals(c.andGates(), back.andGates(), c.toString());
            assertEquals(c.outputCount(), back.outputCount());
            for (int t = 0; t < 20; t++) {
                long[] g = r.longs(c.garblerInputs()).toArray();
                long[] e = r.longs(c.evaluatorInputs()).toArray();
                assertArrayEquals(c.evaluate(g, e), back.evaluate(g, e), c.toString());
            }
        }
    }

    @Test
    void malformedFilesAreClearErrorsWithALineNumber() {
        String[][] bad = {
            {"1 3\n2 1 1\n1 1\n\n2 1 0 1 2 NAND\n", "unsupported gate 'NAND'"},
            {"1 3\n1 2\n1 1\n\n2 1 0 5 2 AND\n", "wire 5 is outside"},
            {"2 4\n1 2\n1 1\n\n2 1 0 3 2 AND\n", "wire 3 is read before it is assigned"},
            {"2 4\n1 2\n1 1\n\n2 1 0 1 2 AND\n", "file ends before all gates"},
            {"1 3\n2 2\n1 1\n", "declares 2 values but lists 1"},
            {"x 3\n", "expected gate count"},
        };
        for (String[] b : bad) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> BristolFashion.read(new StringReader(b[0]), 1), b[1]);
            assertTrue(e.getMessage().contains(b[1]) && e.getMessage().contains("line"), e.getMessage());
        }
    }
}
