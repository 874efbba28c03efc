package org.fusionmpc.samples.circuit;

import java.math.BigInteger;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import org.fusionmpc.api.channel.Channel;
import org.fusionmpc.api.random.Prg;
import org.fusionmpc.api.session.ProtocolId;
import org.fusionmpc.api.session.Role;
import org.fusionmpc.api.session.Session;
import org.fusionmpc.gc.BristolFashion;
import org.fusionmpc.gc.EvaluatorParty;
import org.fusionmpc.gc.GarblerParty;
import org.fusionmpc.ot.Bits;
import org.fusionmpc.ot.SoftSpokenOtReceiver;
import org.fusionmpc.ot.SoftSpokenOtSender;

/**
 * A complete two-party protocol written only against the SDK's public API: secure evaluation of any Bristol
 * Fashion circuit (Yao with half-gates; the evaluator's input labels by IKNP OT). The garbler owns the first
 * {@code garblerValues} input values of the file, the evaluator the rest; the evaluator learns the outputs
 * and, with {@code revealToGarbler}, sends them back. Semi-honest security, as the SDK's Yao.
 *
 * <p>Everything a protocol needs is here: a handshake that names the protocol, OT setup, the garbled
 * circuit, and the output step. The rest of the file converts numbers to bits.
 */
public final class CircuitTwoPc {

    public static final ProtocolId ID = new ProtocolId("bristol-2pc", 1);

    private CircuitTwoPc() {
    }

    /** The garbler's run; returns the outputs if the evaluator reveals them, else null. */
    public static List<BigInteger> garbler(Channel ch, BristolFashion.Parsed file, int garblerValues, List<BigInteger> inputs,
                                           boolean revealToGarbler) {
        Session.open(ch, Role.SERVER, ID);
        long[] bits = toBits(file.inputWidths(), 0, garblerValues, inputs);
        SoftSpokenOtSender ot = SoftSpokenOtSender.setup(ch, new SecureRandom());
        new GarblerParty(ch, ot, Prg.fromSecureRandom()).run(file.circuit(), 1, bits);
        if (!revealToGarbler) {
            return null;
        }
        long[] out = new long[Bits.words(file.circuit().outputCount())];
        ch.receive(out, 0, out.length);
        return fromBits(file.outputWidths(), out);
    }

    /** The evaluator's run: returns the output values. */
    public static List<BigInteger> evaluator(Channel ch, BristolFashion.Parsed file, int garblerValues, List<BigInteger> inputs,
                                             boolean revealToGarbler) {
        Session.open(ch, Role.CLIENT, ID);
        long[] bits = toBits(file.inputWidths(), garblerValues, file.inputWidths().length, inputs);
        SoftSpokenOtReceiver ot = SoftSpokenOtReceiver.setup(ch, new SecureRandom());
        long[] out = new EvaluatorParty(ch, ot).run(file.circuit(), 1, bits);
        if (revealToGarbler) {
            ch.send(out, 0, Bits.words(file.circuit().outputCount()));
            ch.flush();
        }
        return fromBits(file.outputWidths(), out);
    }

    /** Values {@code [from, to)} of the file's inputs as one party's bit string (each value least significant bit first). */
    static long[] toBits(int[] widths, int from, int to, List<BigInteger> values) {
        if (values.size() != to - from) {
            throw new IllegalArgumentException("this party owns " + (to - from) + " input values, got " + values.size());
        }
        int total = 0;
        for (int v = from; v < to; v++) {
            total += widths[v];
        }
        long[] bits = new long[Bits.words(Math.max(total, 1))];
        int at = 0;
        for (int v = from; v < to; v++) {
            BigInteger x = values.get(v - from);
            if (x.signum() < 0 || x.bitLength() > widths[v]) {
                throw new IllegalArgumentException("input value " + v + " must be an unsigned " + widths[v] + "-bit number, got " + x);
            }
            for (int k = 0; k < widths[v]; k++) {
                Bits.set(bits, at++, x.testBit(k));
            }
        }
        return bits;
    }

    static List<BigInteger> fromBits(int[] widths, long[] bits) {
        List<BigInteger> out = new ArrayList<>();
        int at = 0;
        for (int w : widths) {
            BigInteger x = BigInteger.ZERO;
            for (int k = 0; k < w; k++) {
                if (Bits.get(bits, at++)) {
                    x = x.setBit(k);
                }
            }
            out.add(x);
        }
        return out;
    }
}
