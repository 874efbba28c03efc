package org.fusionmpc.gc;

import org.fusionmpc.api.testing.TwoParties;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.fusionmpc.api.channel.ChannelException;
import org.fusionmpc.api.random.Prg;
import org.fusionmpc.ot.Bits;
import org.fusionmpc.ot.SoftSpokenOtReceiver;
import org.fusionmpc.ot.SoftSpokenOtSender;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Garbled evaluation against plaintext evaluation of the same circuit, and what a bad table stream does. */
class HalfGatesTest {

    private static final int INSTANCES = 200;

    /** Garbles and evaluates in one thread, tables through a queue; returns decoded output words (64 instances each). */
    static long[][] garbleAndEvaluate(Circuit c, long[][] garblerBits, long[][] evaluatorBits, boolean tamper) {
        int b = garblerBits.length;
        HalfGatesGarbler garbler = new HalfGatesGarbler(Prg.fromSecureRandom());
        long[] zero = new long[2 * c.wireSlots() * b];
        garbler.newInputLabels(c, b, zero);
        long[] active = new long[zero.length];
        System.arraycopy(zero, 0, active, 0, 2 * b);
        for (int i = 0; i < b; i++) {
            for (int k = 0; k < c.garblerInputs(); k++) {
                int s = c.garblerInputSlot(k) * b + i;
                garbler.encode(zero, s, garblerBits[i][k] != 0, active, s);
            }
            for (int k = 0; k < c.evaluatorInputs(); k++) {
                int s = c.evaluatorInputSlot(k) * b + i;
                garbler.encode(zero, s, evaluatorBits[i][k] != 0, active, s);
            }
        }
        ArrayDeque<long[]> tables = new ArrayDeque<>();
        garbler.garble(c, b, zero, (t, off, len) -> tables.add(Arrays.copyOfRange(t, off, off + len)));
        if (tamper) {
            for (long[] t : tables) {
                for (int k = 0; k < t.length; k++) {
                    t[k] = ~t[k];
                }
            }
        }
        long[] decode = new long[Bits.words(c.outputCount() * b)];
        garbler.decodeBits(c, b, zero, decode);
        new HalfGatesEvaluator().evaluate(c, b, active, (t, off, len) -> {
            long[] next = tables.poll();
            assertEquals(len, next.length);
            System.arraycopy(next, 0, t, off, len);
        });
        long[] out = new long[decode.length];
        HalfGatesEvaluator.decode(c, b, active, decode, out);
        long[][] result = new long[b][c.outputCount()];
        for (int i = 0; i < b; i++) {
            for (int k = 0; k < c.outputCount(); k++) {
                result[i][k] = Bits.get(out, k * b + i) ? 1 : 0;
            }
        }
        return result;
    }

    static long[][] plain(Circuit c, long[][] gBits, long[][] eBits) {
        long[][] result = new long[gBits.length][];
        for (int i = 0; i < gBits.length; i++) {
            long[] words = c.evaluate(gBits[i], eBits[i]);
            result[i] = Arrays.stream(words).map(w -> w & 1).toArray();
        }
        return result;
    }

    static long[][] randomBits(int n, int bits, SplittableRandom r) {
        long[][] x = new long[n][bits];
        for (long[] row : x) {
            for (int k = 0; k < bits; k++) {
                row[k] = r.nextInt(2) == 0 ? 0 : -1L; // all lanes equal: lane 0 is what plain() reads
            }
        }
        return x;
    }

    @Test
    void garbledEvaluationEqualsPlaintextForEveryLibraryCircuit() {
        SplittableRandom r = new SplittableRandom(1);
        for (int l : new int[] {8, 32, 64}) {
            Circuit[] circuits = new Circuit[CircuitsTest.Op.values().length + 3];
            int i = 0;
            for (CircuitsTest.Op op : CircuitsTest.Op.values()) {
                circuits[i++] = CircuitsTest.circuit(op, l);
            }
            circuits[i++] = ShareCircuits.relu(l);
            circuits[i++] = ShareCircuits.max(l, 3);
            circuits[i] = ShareCircuits.argmax(l, 5);
            for (Circuit c : circuits) {
                long[][] g = randomBits(INSTANCES, c.garblerInputs(), r);
                long[][] e = randomBits(INSTANCES, c.evaluatorInputs(), r);
                long[][] want = plain(c, g, e);
                assertArrayEquals(want, garbleAndEvaluate(c, g, e, false), c.toString());
            }
        }
    }

    @Test
    void aTamperedTableGivesAWrongOutputNotAHang() {
        Circuit c = ShareCircuits.relu(32);
        SplittableRandom r = new SplittableRandom(2);
        long[][] g = randomBits(INSTANCES, c.garblerInputs(), r);
        long[][] e = randomBits(INSTANCES, c.evaluatorInputs(), r);
        assertNotEquals(Arrays.deepToString(plain(c, g, e)), Arrays.deepToString(garbleAndEvaluate(c, g, e, true)));
    }

    @Test
    void deltaHasItsPermuteBitSet() {
        for (int i = 0; i < 100; i++) {
            assertEquals(1, new HalfGatesGarbler(Prg.fromSecureRandom()).delta()[0] & 1);
        }
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void aTruncatedTableStreamIsAClearChannelError() throws Exception {
        Circuit c = ShareCircuits.relu(64);
        int n = 3000; // several batches
        ChannelException e = assertThrows(ChannelException.class, () -> {
            try {
                TwoParties.IN_MEMORY.run(ch -> {
                    SoftSpokenOtSender ot = SoftSpokenOtSender.setup(ch, new java.security.SecureRandom());
                    // An honest first batch's labels and OTs, then the garbler stops after a few tables.
                    int[] tablesLeft = {10};
                    GarblerParty party = new GarblerParty(new TruncatingChannel(ch, tablesLeft), ot, Prg.fromSecureRandom());
                    try {
                        party.run(c, n, new long[Bits.words(n * c.garblerInputs())]);
                    } catch (IllegalStateException stop) {
                        ch.close();
                    }
                    return null;
                }, ch -> new EvaluatorParty(ch, SoftSpokenOtReceiver.setup(ch, new java.security.SecureRandom()))
                        .run(c, n, new long[Bits.words(n * c.evaluatorInputs())]));
            } catch (java.util.concurrent.ExecutionException wrapped) {
                throw wrapped.getCause();
            }
        });
        assertEquals(ChannelException.Kind.PEER_CLOSED, e.kind(), e.getMessage());
    }
}
