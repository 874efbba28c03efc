package org.fusionmpc.gc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.LongBinaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Every library circuit against Java arithmetic: exhaustively for ℓ = 8, random and edge values for 32 and 64. */
class CircuitsTest {

    enum Op {
        ADD, SUB, LT_UNSIGNED, LT_SIGNED, MAX, RELU, MUX
    }

    static Circuit circuit(Op op, int l) {
        CircuitBuilder c = new CircuitBuilder();
        int[] a = c.garblerInput(l);
        int[] b = c.evaluatorInput(l);
        return switch (op) {
            case ADD -> c.outputs(Circuits.add(c, a, b)).build();
            case SUB -> c.outputs(Circuits.subtract(c, a, b)).build();
            case LT_UNSIGNED -> c.outputs(Circuits.lessThanUnsigned(c, a, b)).build();
            case LT_SIGNED -> c.outputs(Circuits.lessThanSigned(c, a, b)).build();
            case MAX -> c.outputs(Circuits.max(c, a, b)).build();
            case RELU -> c.outputs(Circuits.relu(c, Circuits.add(c, a, b))).build();
            // select b when a's lowest bit is set
            case MUX -> c.outputs(Circuits.mux(c, a[0], a, b)).build();
        };
    }

    static long expected(Op op, int l, long a, long b) {
        long m = Plain.mask(l);
        long sa = Plain.signed(a, l);
        long sb = Plain.signed(b, l);
        return switch (op) {
            case ADD -> (a + b) & m;
            case SUB -> (a - b) & m;
            case LT_UNSIGNED -> Long.compareUnsigned(a & m, b & m) < 0 ? 1 : 0;
            case LT_SIGNED -> sa < sb ? 1 : 0;
            case MAX -> Math.max(sa, sb) & m;
            case RELU -> Math.max(Plain.signed((a + b) & m, l), 0) & m;
            case MUX -> ((a & 1) != 0 ? b : a) & m;
        };
    }

    static void check(Op op, int l, long[] a, long[] b) {
        Circuit c = circuit(op, l);
        int outBits = c.outputCount();
        for (int from = 0; from < a.length; from += 64) {
            int n = Math.min(64, a.length - from);
            long[] av = java.util.Arrays.copyOfRange(a, from, from + n);
            long[] bv = java.util.Arrays.copyOfRange(b, from, from + n);
            long[] ga = new long[l];
            long[] eb = new long[l];
            Plain.slice(av, l, ga, 0);
            Plain.slice(bv, l, eb, 0);
            long[] got = Plain.unslice(c.evaluate(ga, eb), 0, outBits, n);
            for (int i = 0; i < n; i++) {
                long want = expected(op, l, av[i], bv[i]);
                if (got[i] != want) {
                    throw new AssertionError(op + " l=" + l + " a=" + av[i] + " b=" + bv[i] + ": got " + got[i] + ", want " + want);
                }
            }
        }
    }

    @Test
    void everyCircuitIsExactForAllPairsOfEightBitValues() {
        long[] a = new long[1 << 16];
        long[] b = new long[1 << 16];
        for (int i = 0; i < a.length; i++) {
            a[i] = i & 0xff;
            b[i] = i >>> 8;
        }
        for (Op op : Op.values()) {
            check(op, 8, a, b);
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {32, 41, 64})
    void everyCircuitIsExactForRandomAndEdgeValues(int l) {
        long m = Plain.mask(l);
        long[] edges = {0, 1, -1 & m, (1L << (l - 1)) - 1, (1L << (l - 1)) & m, 2, (1L << (l - 1)) + 1 & m};
        List<long[]> pairs = new ArrayList<>();
        for (long x : edges) {
            for (long y : edges) {
                pairs.add(new long[] {x, y});
            }
        }
        SplittableRandom r = new SplittableRandom(l);
        for (int i = 0; i < 10_000; i++) {
            pairs.add(new long[] {r.nextLong() & m, r.nextLong() & m});
        }
        long[] a = pairs.stream().mapToLong(p -> p[0]).toArray();
        long[] b = pairs.stream().mapToLong(p -> p[1]).toArray();
        for (Op op : Op.values()) {
            check(op, l, a, b);
        }
    }

    @Test
    void argmaxFindsTheFirstMaximumOfSignedValues() {
        SplittableRandom r = new SplittableRandom(5);
        for (int k : new int[] {1, 2, 3, 5, 10, 16}) {
            int l = 8;
            CircuitBuilder c = new CircuitBuilder();
            int[][] v = new int[k][];
            for (int j = 0; j < k; j++) {
                v[j] = c.garblerInput(l);
            }
            Circuit circuit = c.outputs(Circuits.argmax(c, v)).build();
            long[][] values = new long[k][64];
            for (long[] row : values) {
                for (int i = 0; i < 64; i++) {
                    row[i] = r.nextInt(i % 4 == 0 ? 3 : 256); // small ranges force ties
                }
            }
            long[] in = new long[k * l];
            for (int j = 0; j < k; j++) {
                Plain.slice(values[j], l, in, j * l);
            }
            long[] got = Plain.unslice(circuit.evaluate(in, new long[0]), 0, circuit.outputCount(), 64);
            for (int i = 0; i < 64; i++) {
                int best = 0;
                for (int j = 1; j < k; j++) {
                    if (Plain.signed(values[j][i], l) > Plain.signed(values[best][i], l)) {
                        best = j;
                    }
                }
                assertEquals(best, got[i], "k=" + k + " instance " + i);
            }
        }
    }

    /** The AND counts the Javadoc promises; printed so the gate budget of each layer is on record. */
    @Test
    void andGateCountsAreTheDocumentedOnes() {
        for (int l : new int[] {8, 32, 64}) {
            int[] want = {l - 1, l - 1, l, l, 2 * l, 2 * l - 2, l};
            Op[] ops = Op.values();
            for (int i = 0; i < ops.length; i++) {
                Circuit c = circuit(ops[i], l);
                System.out.println("gates: " + ops[i] + " l=" + l + ": " + c);
                assertEquals(want[i], c.andGates(), ops[i] + " l=" + l);
            }
            Circuit relu = ShareCircuits.relu(l);
            System.out.println("gates: relu-on-shares l=" + l + ": " + relu);
            assertEquals(3 * l - 3, relu.andGates());
            Circuit max4 = ShareCircuits.max(l, 4);
            System.out.println("gates: maxpool-4-on-shares l=" + l + ": " + max4);
            assertEquals(4 * (l - 1) + 3 * 2 * l + (l - 1), max4.andGates());
        }
    }

    @Test
    void slotsAreReusedSoMemoryDoesNotGrowWithGates() {
        CircuitBuilder c = new CircuitBuilder();
        int[] a = c.garblerInput(64);
        int[] b = c.evaluatorInput(64);
        int[] x = a;
        for (int i = 0; i < 200; i++) {
            x = Circuits.add(c, x, b);
        }
        Circuit circuit = c.outputs(x).build();
        assertTrue(circuit.gates() > 200 * 64 * 3, circuit.toString());
        assertTrue(circuit.wireSlots() < 1 + 128 + 200, circuit.toString());
        long[] ga = new long[64];
        long[] eb = new long[64];
        Plain.slice(new long[] {5}, 64, ga, 0);
        Plain.slice(new long[] {7}, 64, eb, 0);
        assertEquals(5 + 200 * 7, Plain.unslice(circuit.evaluate(ga, eb), 0, 64, 1)[0]);
    }
}
