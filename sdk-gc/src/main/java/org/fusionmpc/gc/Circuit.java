package org.fusionmpc.gc;

import java.util.Objects;

/**
 * A Boolean circuit of XOR, AND and NOT gates between two parties' input bits, in the form garbling wants:
 * gates in topological order over a compact set of wire slots that are reused once a value is dead, so the
 * working memory of a garbler or evaluator is {@link #wireSlots()} labels however many gates there are.
 *
 * <p>Slot 0 always carries the constant 0 (the garbler supplies its label); slots {@code 1 .. G} are the
 * garbler's input bits and {@code G+1 .. G+E} the evaluator's, in the order they were declared; outputs are
 * listed by {@link #outputs()}. Numbers are little-endian bit vectors (bit 0 first) throughout the library.
 * Immutable; build one with {@link CircuitBuilder} or read one with {@link BristolFashion}.
 */
public final class Circuit {

    public static final byte XOR = 0;
    public static final byte AND = 1;
    public static final byte NOT = 2;

    private final int garblerInputs;
    private final int evaluatorInputs;
    private final byte[] op;
    private final int[] in0;
    private final int[] in1;
    private final int[] out;
    private final int[] outputs;
    private final int wireSlots;
    private final int andGates;

    Circuit(int garblerInputs, int evaluatorInputs, byte[] op, int[] in0, int[] in1, int[] out, int[] outputs, int wireSlots) {
        this.garblerInputs = garblerInputs;
        this.evaluatorInputs = evaluatorInputs;
        this.op = op;
        this.in0 = in0;
        this.in1 = in1;
        this.out = out;
        this.outputs = outputs;
        this.wireSlots = wireSlots;
        int ands = 0;
        for (byte o : op) {
            ands += o == AND ? 1 : 0;
        }
        this.andGates = ands;
    }

    public int garblerInputs() {
        return garblerInputs;
    }

    public int evaluatorInputs() {
        return evaluatorInputs;
    }

    /** Slot of the garbler's input bit {@code i}. */
    public int garblerInputSlot(int i) {
        Objects.checkIndex(i, garblerInputs);
        return 1 + i;
    }

    /** Slot of the evaluator's input bit {@code i}. */
    public int evaluatorInputSlot(int i) {
        Objects.checkIndex(i, evaluatorInputs);
        return 1 + garblerInputs + i;
    }

    public int gates() {
        return op.length;
    }

    public int andGates() {
        return andGates;
    }

    public int outputCount() {
        return outputs.length;
    }

    /** Output slots, a copy. */
    public int[] outputs() {
        return outputs.clone();
    }

    public int wireSlots() {
        return wireSlots;
    }

    byte op(int g) {
        return op[g];
    }

    int in0(int g) {
        return in0[g];
    }

    int in1(int g) {
        return in1[g];
    }

    int out(int g) {
        return out[g];
    }

    int outputSlot(int k) {
        return outputs[k];
    }

    /**
     * Evaluates the circuit in the clear on 64 instances at once: word {@code i} of {@code garblerBits} holds
     * garbler input bit {@code i} of every instance (instance j in bit j), likewise for the evaluator; returns
     * one word per output. The reference that garbled evaluation is tested against.
     */
    public long[] evaluate(long[] garblerBits, long[] evaluatorBits) {
        if (garblerBits.length != garblerInputs || evaluatorBits.length != evaluatorInputs) {
            throw new IllegalArgumentException("the circuit takes " + garblerInputs + " garbler and " + evaluatorInputs
                    + " evaluator input bits, got " + garblerBits.length + " and " + evaluatorBits.length);
        }
        long[] w = new long[wireSlots];
        System.arraycopy(garblerBits, 0, w, 1, garblerInputs);
        System.arraycopy(evaluatorBits, 0, w, 1 + garblerInputs, evaluatorInputs);
        for (int g = 0; g < op.length; g++) {
            long a = w[in0[g]];
            w[out[g]] = switch (op[g]) {
                case XOR -> a ^ w[in1[g]];
                case AND -> a & w[in1[g]];
                default -> ~a;
            };
        }
        long[] result = new long[outputs.length];
        for (int k = 0; k < outputs.length; k++) {
            result[k] = w[outputs[k]];
        }
        return result;
    }

    @Override
    public String toString() {
        return "Circuit[" + garblerInputs + " + " + evaluatorInputs + " inputs, " + outputs.length + " outputs, "
                + op.length + " gates (" + andGates + " AND), " + wireSlots + " wire slots]";
    }
}
