package org.fusionmpc.ot;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.SecureRandom;
import java.util.SplittableRandom;
import org.fusionmpc.api.testing.TwoParties;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Chosen and 1-out-of-16 OT of short messages: the receiver gets the low bits of its message, and only those travel. */
class ShortMessagesTest {

    @ParameterizedTest(name = "bits={0}")
    @ValueSource(ints = {1, 2, 7, 37, 63, 64})
    void chosenOtOfShortMessagesDeliversTheChosenLowBitsAndPacksTheWire(int bits) throws Exception {
        int n = 5000;
        SplittableRandom r = new SplittableRandom(bits);
        long[] x0 = r.longs(n).toArray(); // high bits set on purpose: they must neither travel nor arrive
        long[] x1 = r.longs(n).toArray();
        long[] choices = r.longs(Bits.words(n)).toArray();
        long keep = bits == 64 ? -1L : (1L << bits) - 1;
        for (TwoParties parties : TwoParties.values()) {
            long[] sent = new long[2];
            Object[] got = parties.run(ch -> {
                SoftSpokenOtSender s = SoftSpokenOtSender.setup(ch, new SecureRandom());
                long before = ch.stats().bytesSent();
                s.chosenBits(n, x0, x1, bits);
                sent[0] = ch.stats().bytesSent() - before;
                return null;
            }, ch -> {
                SoftSpokenOtReceiver rcv = SoftSpokenOtReceiver.setup(ch, new SecureRandom());
                long[] out = new long[n];
                rcv.chosenBits(n, choices, out, bits);
                return out;
            });
            long[] out = (long[]) got[1];
            for (int i = 0; i < n; i++) {
                assertEquals((Bits.get(choices, i) ? x1[i] : x0[i]) & keep, out[i], "OT " + i);
            }
            assertTrue(sent[0] <= (2L * n * bits + 7) / 8 + 64, bits + "-bit messages took " + sent[0] + " bytes for " + n + " OTs");
        }
    }

    /**
     * Additively correlated OT on both extensions, in memory and over TCP, for call sizes across a step: the receiver
     * gets x_i + c_i·a_i mod 2^ℓ for the sender's x_i, which is below 2^ℓ, and the sender's messages are ℓ bits per OT.
     */
    @ParameterizedTest(name = "bits={0}")
    @ValueSource(ints = {1, 13, 37, 64})
    void additiveOtGivesTheCorrelationAndSendsLBitsPerOt(int bits) throws Exception {
        long keep = bits == 64 ? -1L : (1L << bits) - 1;
        for (int n : new int[] {1, 777, CotDerivation.STEP + 3}) {
            SplittableRandom r = new SplittableRandom(31L * bits + n);
            long[] a = r.longs(n).toArray(); // high bits set on purpose: they must not matter
            long[] choices = r.longs(Bits.words(n)).toArray();
            for (TwoParties parties : TwoParties.values()) {
                for (OtExtension ot : OtExtension.values()) {
                    long[] sent = new long[1];
                    Object[] got = parties.run(ch -> {
                        OtSender s = ot.sender(ch, new SecureRandom(), SoftSpokenOtSender.DEFAULT_K, 1);
                        long[] x = new long[n];
                        long before = ch.stats().bytesSent();
                        s.additive(n, a, x, bits);
                        sent[0] = ch.stats().bytesSent() - before;
                        return x;
                    }, ch -> {
                        OtReceiver rcv = ot.receiver(ch, new SecureRandom(), SoftSpokenOtSender.DEFAULT_K, 1);
                        long[] out = new long[n];
                        rcv.additive(n, choices, out, bits);
                        return out;
                    });
                    long[] x = (long[]) got[0];
                    long[] out = (long[]) got[1];
                    for (int i = 0; i < n; i++) {
                        assertEquals(x[i] & keep, x[i], "the sender's value is an ℓ-bit ring element");
                        assertEquals((x[i] + (Bits.get(choices, i) ? a[i] : 0)) & keep, out[i], ot + " OT " + i);
                    }
                    long steps = (n + CotDerivation.STEP - 1) / CotDerivation.STEP;
                    // the silent sender may start its first main round inside the call: one round message on top
                    long round = ot == OtExtension.SILENT ? FerretParams.REGULAR_2024.bytesPerRound() : 0;
                    long packed = 8 * (steps + ((long) n * bits + 63) / 64);
                    assertTrue(sent[0] >= ((long) n * bits + 7) / 8 && (sent[0] <= packed || sent[0] - round <= packed && sent[0] >= round),
                            ot + ": " + n + " OTs of " + bits + " bits took " + sent[0] + " bytes");
                }
            }
        }
    }

    /** The same transfers packed to ℓ bits and unpacked (a long per message): identical outputs, fewer bytes packed. */
    @ParameterizedTest(name = "bits={0}")
    @ValueSource(ints = {2, 32, 37, 41})
    void packedAndUnpackedTransfersGiveIdenticalResults(int bits) throws Exception {
        int n = 6000;
        SplittableRandom r = new SplittableRandom(bits * 13L);
        long keep = (1L << bits) - 1;
        long[] x0 = r.longs(n).map(v -> v & keep).toArray();
        long[] x1 = r.longs(n).map(v -> v & keep).toArray();
        long[] messages = r.longs(n * 16L).map(v -> v & keep).toArray();
        long[] choices = r.longs(Bits.words(n)).toArray();
        int[] indices = r.ints(n, 0, 16).toArray();
        for (TwoParties parties : TwoParties.values()) {
            long[] sent = new long[4];
            Object[] got = parties.run(ch -> {
                SoftSpokenOtSender s = SoftSpokenOtSender.setup(ch, new SecureRandom());
                OneOfNOt sixteen = OneOfNOt.of(ch, 4);
                long t0 = ch.stats().bytesSent();
                s.chosenBits(n, x0, x1, bits);
                long t1 = ch.stats().bytesSent();
                s.chosen(n, x0, x1, 1);
                long t2 = ch.stats().bytesSent();
                sixteen.sendBits(s, n, messages, bits);
                long t3 = ch.stats().bytesSent();
                sixteen.send(s, n, messages, 1);
                long t4 = ch.stats().bytesSent();
                sent[0] = t1 - t0;
                sent[1] = t2 - t1;
                sent[2] = t3 - t2;
                sent[3] = t4 - t3;
                return null;
            }, ch -> {
                SoftSpokenOtReceiver rcv = SoftSpokenOtReceiver.setup(ch, new SecureRandom());
                OneOfNOt sixteen = OneOfNOt.of(ch, 4);
                long[][] out = new long[4][n];
                rcv.chosenBits(n, choices, out[0], bits);
                rcv.chosen(n, choices, out[1], 1);
                sixteen.receiveBits(rcv, n, indices, out[2], bits);
                sixteen.receive(rcv, n, indices, out[3], 1);
                return out;
            });
            long[][] out = (long[][]) got[1];
            assertArrayEquals(out[1], out[0], "chosen OT, " + parties);
            assertArrayEquals(out[3], out[2], "1-out-of-16 OT, " + parties);
            for (int i = 0; i < n; i++) {
                assertEquals(Bits.get(choices, i) ? x1[i] : x0[i], out[0][i], "OT " + i);
            }
            assertTrue(sent[0] * 64 < sent[1] * (bits + 1) && sent[2] * 64 < sent[3] * (bits + 1),
                    "packed " + sent[0] + ", " + sent[2] + " bytes against unpacked " + sent[1] + ", " + sent[3]);
        }
    }

    @ParameterizedTest(name = "bits={0}")
    @ValueSource(ints = {2, 5, 64})
    void oneOutOfSixteenOfShortMessages(int bits) throws Exception {
        int count = 3000;
        SplittableRandom r = new SplittableRandom(bits * 7L);
        long[] messages = r.longs(count * 16L).toArray();
        int[] choices = r.ints(count, 0, 16).toArray();
        long keep = bits == 64 ? -1L : (1L << bits) - 1;
        Object[] got = TwoParties.IN_MEMORY.run(ch -> {
            OneOfNOt.of(ch, 4).sendBits(SoftSpokenOtSender.setup(ch, new SecureRandom()), count, messages, bits);
            return null;
        }, ch -> {
            long[] out = new long[count];
            OneOfNOt.of(ch, 4).receiveBits(SoftSpokenOtReceiver.setup(ch, new SecureRandom()), count, choices, out, bits);
            return out;
        });
        long[] out = (long[]) got[1];
        for (int i = 0; i < count; i++) {
            assertEquals(messages[i * 16 + choices[i]] & keep, out[i], "transfer " + i);
        }
    }
}
