package org.fusionmpc.gc;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Reads and writes circuits in Bristol Fashion, the text format MPC tools exchange circuits in
 * (SCALE-MAMBA, emp-toolkit, MP-SPDZ): a header of gate and wire counts, the bit widths of the input and
 * output values, then one gate per line, {@code <#in> <#out> <in wires> <out wires> <op>}, with XOR, AND,
 * INV, EQ (a constant), EQW (a copy) and MAND (several ANDs). Input values occupy the first wires in order,
 * outputs the last; within a value, its first wire is its least significant bit, as in this library.
 *
 * <p>Bristol Fashion does not say which party owns which input value; the reader is told how many of the
 * leading values are the garbler's, the rest being the evaluator's.
 */
public final class BristolFashion {

    private BristolFashion() {
    }

    /** A parsed file: the circuit and the bit widths of its input and output values, in file order. */
    public record Parsed(Circuit circuit, int[] inputWidths, int[] outputWidths) {
    }

    /** Parses a circuit; the first {@code garblerValues} input values become the garbler's inputs. */
    public static Circuit read(Reader source, int garblerValues) {
        return parse(source, garblerValues).circuit();
    }

    /** Like {@link #read}, keeping the value widths (to split inputs and outputs into numbers). */
    public static Parsed parse(Reader source, int garblerValues) {
        BufferedReader in = new BufferedReader(source);
        Parser p = new Parser(in);
        try {
            long gates = p.nextLong("gate count");
            long wires = p.nextLong("wire count");
            if (gates < 0 || wires < 1 || wires > Integer.MAX_VALUE - 8) {
                throw p.error("bad gate or wire count " + gates + " " + wires);
            }
            int[] inputWidths = p.widths("input");
            int[] outputWidths = p.widths("output");
            if (garblerValues < 0 || garblerValues > inputWidths.length) {
                throw new IllegalArgumentException("the file has " + inputWidths.length + " input values; "
                        + garblerValues + " cannot be the garbler's");
            }
            CircuitBuilder c = new CircuitBuilder();
            int[] handle = new int[(int) wires];
            Arrays.fill(handle, -1);
            int next = 0;
            for (int v = 0; v < inputWidths.length; v++) {
                int[] w = v < garblerValues ? c.garblerInput(inputWidths[v]) : c.evaluatorInput(inputWidths[v]);
                for (int x : w) {
                    if (next >= wires) {
                        throw p.error("inputs need more wires than the " + wires + " declared");
                    }
                    handle[next++] = x;
                }
            }
            for (long g = 0; g < gates; g++) {
                p.gate(c, handle);
            }
            int totalOut = Arrays.stream(outputWidths).sum();
            if (totalOut > wires) {
                throw p.error(totalOut + " output bits but only " + wires + " wires");
            }
            int[] outs = new int[totalOut];
            for (int k = 0; k < totalOut; k++) {
                int w = (int) wires - totalOut + k;
                if (handle[w] < 0) {
                    throw p.error("output wire " + w + " is never assigned");
                }
                outs[k] = handle[w];
            }
            return new Parsed(c.outputs(outs).build(), inputWidths, outputWidths);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Writes {@code c} with two input values (the garbler's bits, then the evaluator's; a party without inputs
     * is left out) and one output value. Slots are renamed into fresh wires, the constant zero becomes an EQ
     * gate, and outputs are copied to the last wires by EQW gates, so the file is valid Bristol Fashion.
     */
    public static void write(Circuit c, Writer out) {
        List<String> lines = new ArrayList<>();
        int g = c.garblerInputs();
        int e = c.evaluatorInputs();
        int[] wireOf = new int[c.wireSlots()];
        Arrays.fill(wireOf, -1);
        int next = 0;
        for (int i = 0; i < g + e; i++) {
            wireOf[1 + i] = next++;
        }
        int zero = next++;
        lines.add("1 1 0 " + zero + " EQ");
        wireOf[0] = zero;
        for (int k = 0; k < c.gates(); k++) {
            int a = wireOf[c.in0(k)];
            int w = next++;
            switch (c.op(k)) {
                case Circuit.XOR -> lines.add("2 1 " + a + " " + wireOf[c.in1(k)] + " " + w + " XOR");
                case Circuit.AND -> lines.add("2 1 " + a + " " + wireOf[c.in1(k)] + " " + w + " AND");
                default -> lines.add("1 1 " + a + " " + w + " INV");
            }
            wireOf[c.out(k)] = w;
        }
        for (int k = 0; k < c.outputCount(); k++) {
            lines.add("1 1 " + wireOf[c.outputSlot(k)] + " " + next++ + " EQW");
        }
        StringBuilder s = new StringBuilder();
        s.append(lines.size()).append(' ').append(next).append('\n');
        List<Integer> ins = new ArrayList<>();
        if (g > 0) {
            ins.add(g);
        }
        if (e > 0) {
            ins.add(e);
        }
        s.append(ins.size());
        ins.forEach(v -> s.append(' ').append(v));
        s.append('\n').append("1 ").append(c.outputCount()).append("\n\n");
        for (String l : lines) {
            s.append(l).append('\n');
        }
        try {
            out.write(s.toString());
            out.flush();
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    /** A token reader that knows its line number, for errors that point at the problem. */
    private static final class Parser {
        private final BufferedReader in;
        private String[] tokens = new String[0];
        private int at;
        private int line;

        Parser(BufferedReader in) {
            this.in = in;
        }

        private boolean nextLine() throws IOException {
            String l;
            while ((l = in.readLine()) != null) {
                line++;
                l = l.strip();
                if (!l.isEmpty()) {
                    tokens = l.split("\\s+");
                    at = 0;
                    return true;
                }
            }
            return false;
        }

        String token(String what) throws IOException {
            while (at >= tokens.length) {
                if (!nextLine()) {
                    throw error("file ends where " + what + " was expected");
                }
            }
            return tokens[at++];
        }

        long nextLong(String what) throws IOException {
            String t = token(what);
            try {
                return Long.parseLong(t);
            } catch (NumberFormatException e) {
                throw error("expected " + what + ", found '" + t + "'");
            }
        }

        int[] widths(String what) throws IOException {
            if (!nextLine()) {
                throw error("file ends before the " + what + " widths");
            }
            int n = Integer.parseInt(token(what + " count"));
            if (n < 0 || n != tokens.length - 1) {
                throw error("the " + what + " line declares " + n + " values but lists " + (tokens.length - 1));
            }
            int[] w = new int[n];
            for (int i = 0; i < n; i++) {
                long v = nextLong(what + " width");
                if (v < 0 || v > 1 << 24) {
                    throw error("bad " + what + " width " + v);
                }
                w[i] = (int) v;
            }
            return w;
        }

        void gate(CircuitBuilder c, int[] handle) throws IOException {
            if (!nextLine()) {
                throw error("file ends before all gates were read");
            }
            if (tokens.length < 4) {
                throw error("a gate needs at least 4 fields");
            }
            int nIn = Integer.parseInt(tokens[0]);
            int nOut = Integer.parseInt(tokens[1]);
            if (nIn < 1 || nOut < 1 || tokens.length != 3 + nIn + nOut) {
                throw error("gate with " + nIn + " inputs and " + nOut + " outputs must have " + (3 + nIn + nOut) + " fields");
            }
            String op = tokens[tokens.length - 1];
            int[] ins = new int[nIn];
            for (int i = 0; i < nIn; i++) {
                ins[i] = op.equals("EQ") ? Integer.parseInt(tokens[2 + i]) : read(handle, tokens[2 + i]);
            }
            int[] outs = new int[nOut];
            for (int i = 0; i < nOut; i++) {
                outs[i] = wire(handle, tokens[2 + nIn + i]);
            }
            switch (op) {
                case "XOR" -> set(handle, outs[0], c.xor(ins[0], ins[1]), nIn, nOut, 2, 1);
                case "AND" -> set(handle, outs[0], c.and(ins[0], ins[1]), nIn, nOut, 2, 1);
                case "INV", "NOT" -> set(handle, outs[0], c.not(ins[0]), nIn, nOut, 1, 1);
                case "EQW" -> set(handle, outs[0], ins[0], nIn, nOut, 1, 1);
                case "EQ" -> {
                    if (ins[0] != 0 && ins[0] != 1) {
                        throw error("EQ takes the constant 0 or 1, got " + ins[0]);
                    }
                    set(handle, outs[0], c.constant(ins[0] == 1), nIn, nOut, 1, 1);
                }
                case "MAND" -> {
                    if (nIn != 2 * nOut) {
                        throw error("MAND needs twice as many inputs as outputs");
                    }
                    for (int i = 0; i < nOut; i++) {
                        handle[outs[i]] = c.and(ins[i], ins[nOut + i]);
                    }
                }
                default -> throw error("unsupported gate '" + op + "'; supported: XOR, AND, INV, EQ, EQW, MAND");
            }
        }

        private void set(int[] handle, int out, int value, int nIn, int nOut, int wantIn, int wantOut) {
            if (nIn != wantIn || nOut != wantOut) {
                throw error(tokens[tokens.length - 1] + " takes " + wantIn + " input(s) and " + wantOut + " output(s)");
            }
            handle[out] = value;
        }

        private int wire(int[] handle, String t) {
            int w;
            try {
                w = Integer.parseInt(t);
            } catch (NumberFormatException e) {
                throw error("expected a wire number, found '" + t + "'");
            }
            if (w < 0 || w >= handle.length) {
                throw error("wire " + w + " is outside 0.." + (handle.length - 1));
            }
            return w;
        }

        private int read(int[] handle, String t) {
            int w = wire(handle, t);
            if (handle[w] < 0) {
                throw error("wire " + w + " is read before it is assigned");
            }
            return handle[w];
        }

        IllegalArgumentException error(String message) {
            return new IllegalArgumentException("Bristol Fashion, line " + line + ": " + message);
        }
    }
}
