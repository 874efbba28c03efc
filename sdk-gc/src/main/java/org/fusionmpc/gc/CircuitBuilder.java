package org.fusionmpc.gc;

import java.util.ArrayDeque;
import java.util.Arrays;

/**
 * Builds a {@link Circuit} gate by gate. Wires are {@code int} handles; inputs may be declared at any time.
 * Gates with a constant input are folded away (x ∧ 0 = 0, x ⊕ 1 = ¬x, ...), so library code can use
 * {@link #zero()} and {@link #one()} freely without paying for AND gates. {@link #build} renumbers the wires
 * into reusable slots by their last use.
 */
public final class CircuitBuilder {

    private static final int ZERO = 0;
    private static final int KIND_GATE = 0;
    private static final int KIND_GARBLER = 1;
    private static final int KIND_EVALUATOR = 2;

    // Per wire handle: its kind and, for inputs, the input's position.
    private int[] kind = new int[256];
    private int[] index = new int[256];
    private int wires = 1; // handle 0 is the constant zero
    private int one = -1;
    private int garblerInputs;
    private int evaluatorInputs;

    private byte[] op = new byte[256];
    private int[] in0 = new int[256];
    private int[] in1 = new int[256];
    private int[] out = new int[256];
    private int gates;
    private int[] outputs = new int[0];

    public int zero() {
        return ZERO;
    }

    public int one() {
        if (one < 0) {
            one = gate(Circuit.NOT, ZERO, ZERO);
        }
        return one;
    }

    public int constant(boolean bit) {
        return bit ? one() : zero();
    }

    /** Declares {@code bits} input bits of the garbler (the server in this SDK's protocols). */
    public int[] garblerInput(int bits) {
        int[] w = new int[bits];
        for (int i = 0; i < bits; i++) {
            w[i] = wire(KIND_GARBLER, garblerInputs++);
        }
        return w;
    }

    /** Declares {@code bits} input bits of the evaluator (the client). */
    public int[] evaluatorInput(int bits) {
        int[] w = new int[bits];
        for (int i = 0; i < bits; i++) {
            w[i] = wire(KIND_EVALUATOR, evaluatorInputs++);
        }
        return w;
    }

    public int xor(int a, int b) {
        if (a == b) {
            return ZERO;
        }
        if (a == ZERO) {
            return b;
        }
        if (b == ZERO) {
            return a;
        }
        if (a == one) {
            return not(b);
        }
        if (b == one) {
            return not(a);
        }
        return gate(Circuit.XOR, a, b);
    }

    public int and(int a, int b) {
        if (a == ZERO || b == ZERO) {
            return ZERO;
        }
        if (a == one || a == b) {
            return b;
        }
        if (b == one) {
            return a;
        }
        return gate(Circuit.AND, a, b);
    }

    public int not(int a) {
        if (a == ZERO) {
            return one();
        }
        if (a == one) {
            return ZERO;
        }
        return gate(Circuit.NOT, a, a);
    }

    /** a ∨ b = (a ⊕ b) ⊕ (a ∧ b): one AND. */
    public int or(int a, int b) {
        return xor(xor(a, b), and(a, b));
    }

    /** Sets the circuit's outputs, in order; a wire may appear more than once. */
    public CircuitBuilder outputs(int... wires) {
        for (int w : wires) {
            check(w);
        }
        outputs = wires.clone();
        return this;
    }

    private int wire(int k, int position) {
        if (wires == kind.length) {
            kind = Arrays.copyOf(kind, 2 * wires);
            index = Arrays.copyOf(index, 2 * wires);
        }
        kind[wires] = k;
        index[wires] = position;
        return wires++;
    }

    private int gate(byte o, int a, int b) {
        check(a);
        check(b);
        if (gates == op.length) {
            op = Arrays.copyOf(op, 2 * gates);
            in0 = Arrays.copyOf(in0, 2 * gates);
            in1 = Arrays.copyOf(in1, 2 * gates);
            out = Arrays.copyOf(out, 2 * gates);
        }
        int w = wire(KIND_GATE, gates);
        op[gates] = o;
        in0[gates] = a;
        in1[gates] = b;
        out[gates] = w;
        gates++;
        return w;
    }

    private void check(int w) {
        if (w < 0 || w >= wires) {
            throw new IllegalArgumentException("wire " + w + " does not belong to this builder");
        }
    }

    /** The circuit so far, with wire slots assigned by liveness: a gate's output may reuse a dead input's slot. */
    public Circuit build() {
        int fixed = 1 + garblerInputs + evaluatorInputs;
        int[] lastUse = new int[wires];
        Arrays.fill(lastUse, -1);
        for (int g = 0; g < gates; g++) {
            lastUse[in0[g]] = g;
            lastUse[in1[g]] = g;
        }
        for (int w : outputs) {
            lastUse[w] = Integer.MAX_VALUE;
        }
        int[] slot = new int[wires];
        for (int w = 1; w < wires; w++) {
            if (kind[w] == KIND_GARBLER) {
                slot[w] = 1 + index[w];
            } else if (kind[w] == KIND_EVALUATOR) {
                slot[w] = 1 + garblerInputs + index[w];
            }
        }
        ArrayDeque<Integer> free = new ArrayDeque<>();
        int slots = fixed;
        byte[] o = Arrays.copyOf(op, gates);
        int[] a = new int[gates];
        int[] b = new int[gates];
        int[] c = new int[gates];
        for (int g = 0; g < gates; g++) {
            a[g] = slot[in0[g]];
            b[g] = slot[in1[g]];
            // Inputs dying here hand their slots back first; every gate reads its inputs before writing.
            release(in0[g], g, lastUse, slot, fixed, free);
            if (in1[g] != in0[g]) {
                release(in1[g], g, lastUse, slot, fixed, free);
            }
            int w = out[g];
            Integer s = free.poll();
            slot[w] = s != null ? s : slots++;
            c[g] = slot[w];
            if (lastUse[w] < 0) { // a dead gate's output is scratch: its slot is free again at once
                free.push(slot[w]);
            }
        }
        int[] outs = new int[outputs.length];
        for (int k = 0; k < outputs.length; k++) {
            outs[k] = slot[outputs[k]];
        }
        return new Circuit(garblerInputs, evaluatorInputs, o, a, b, c, outs, slots);
    }

    private static void release(int w, int g, int[] lastUse, int[] slot, int fixed, ArrayDeque<Integer> free) {
        if (lastUse[w] == g && slot[w] >= fixed) {
            free.push(slot[w]);
        }
    }
}
