package org.fusionmpc.ring;

import java.util.Objects;
import org.fusionmpc.api.channel.Channel;
import org.fusionmpc.api.random.FixedKeyAesHash;
import org.fusionmpc.ot.OtReceiver;
import org.fusionmpc.ot.OtSender;

/**
 * Products M·x where the OT sender holds the values of M and the OT receiver holds x, by Gilboa's
 * oblivious multiplication (CRYPTO 1999) on random OTs, in the bit-position-trimmed form of CrypTFlow2's
 * OT mode (Rathee et al., CCS 2020): for each input x_k and bit j, one random OT with choice bit x_k[j];
 * the sender expands both OT keys into pads R, S (one per entry of column k), sends
 * d = R + M[·][k] - S mod 2^(64-j) (only 64-j bits: the product is shifted left by j), and keeps -R·2^j;
 * the receiver gets R·2^j or (R + M[·][k])·2^j. Summing over j and k gives additive shares of M·x mod 2^64.
 *
 * <p>Cost per batch column: 64 random OTs per input (16 bytes each on the wire for IKNP) plus
 * 2080 bits (Σ_j (64-j)) per entry of M, i.e. 260 bytes per multiply-accumulate. Pads come from the
 * fixed-key AES hash of each OT key with a running tweak, computed in batches.
 *
 * <p>One instance per direction and channel, on each side; the two sides' calls must mirror each other.
 */
final class GilboaProduct {

    /** Blocks of pad per chunk: bounds memory and keeps AES batches large. */
    private static final int CHUNK_BLOCKS = 1 << 15;
    private static final int BITS_PER_ENTRY = 64 * 65 / 2; // Σ_{j<64} (64 - j)

    private final Channel channel;
    private final FixedKeyAesHash hash = new FixedKeyAesHash();
    private long tweak;

    public GilboaProduct(Channel channel) {
        this.channel = Objects.requireNonNull(channel, "channel");
    }

    /** Sender: returns its share of M·x (x held by the receiver), {@code batch} columns. */
    public long[] send(OtSender ot, LinearOperator op, int batch) {
        LinearShape shape = op.shape();
        int n = shape.inputs();
        int m = shape.outputs();
        long[] out = new long[m * batch];
        int total = n * batch;
        for (int first = 0; first < total; ) {
            int last = chunkEnd(shape, first, total);
            int elements = last - first;
            int blocks = padBlocks(shape, first, last);
            long[] m0 = new long[2 * 64 * elements];
            long[] m1 = new long[2 * 64 * elements];
            ot.random(64 * elements, m0, m1);
            long[] r = pads(shape, first, last, m0, blocks);
            long[] s = pads(shape, first, last, m1, blocks);
            tweak += blocks;
            long[] msg = new long[words(shape, first, last)];
            int pos = 0;
            int pad = 0;
            for (int i = first; i < last; i++) {
                int k = i % n;
                int base = (i / n) * m;
                int from = shape.columnStart(k);
                int f = shape.columnEnd(k) - from;
                int stride = 2 * ((f + 1) / 2);
                for (int j = 0; j < 64; j++, pad += stride) {
                    int bits = 64 - j;
                    long mask = bits == 64 ? -1L : (1L << bits) - 1;
                    for (int t = 0; t < f; t++) {
                        long rv = r[pad + t];
                        long d = (rv + op.value(from + t) - s[pad + t]) & mask;
                        int word = pos >>> 6;
                        int off = pos & 63;
                        msg[word] |= d << off;
                        if (off + bits > 64) {
                            msg[word + 1] |= d >>> (64 - off);
                        }
                        pos += bits;
                        out[base + shape.row(from + t)] -= rv << j;
                    }
                }
            }
            channel.send(msg, 0, msg.length);
            first = last;
        }
        channel.flush();
        return out;
    }

    /** Receiver: returns its share of M·x for its own {@code x} ({@code batch} columns). */
    public long[] receive(OtReceiver ot, LinearShape shape, long[] x, int batch) {
        shape.checkInput(x, batch);
        int n = shape.inputs();
        int m = shape.outputs();
        long[] out = new long[m * batch];
        int total = n * batch;
        for (int first = 0; first < total; ) {
            int last = chunkEnd(shape, first, total);
            int elements = last - first;
            int blocks = padBlocks(shape, first, last);
            long[] choices = new long[elements + 1];
            System.arraycopy(x, first, choices, 0, elements); // bit j of x_i is choice bit 64·i + j
            long[] keys = new long[2 * 64 * elements];
            ot.random(64 * elements, choices, keys);
            long[] t = pads(shape, first, last, keys, blocks);
            tweak += blocks;
            long[] msg = new long[words(shape, first, last)];
            channel.receive(msg, 0, msg.length);
            int pos = 0;
            int pad = 0;
            for (int i = first; i < last; i++) {
                int k = i % n;
                int base = (i / n) * m;
                int from = shape.columnStart(k);
                int f = shape.columnEnd(k) - from;
                int stride = 2 * ((f + 1) / 2);
                long xi = x[i];
                for (int j = 0; j < 64; j++, pad += stride) {
                    int bits = 64 - j;
                    long mask = bits == 64 ? -1L : (1L << bits) - 1;
                    long take = -((xi >>> j) & 1); // all ones when the choice bit is 1
                    for (int e = 0; e < f; e++) {
                        int word = pos >>> 6;
                        int off = pos & 63;
                        long d = msg[word] >>> off;
                        if (off + bits > 64) {
                            d |= msg[word + 1] << (64 - off);
                        }
                        pos += bits;
                        out[base + shape.row(from + e)] += (t[pad + e] + (d & mask & take)) << j;
                    }
                }
            }
            first = last;
        }
        return out;
    }

    /** Pads for elements [first, last): OT key (element i, bit j) hashed into ⌈f/2⌉ blocks with consecutive tweaks. */
    private long[] pads(LinearShape shape, int first, int last, long[] keys, int blocks) {
        int n = shape.inputs();
        long[] rep = new long[2 * blocks];
        int at = 0;
        for (int i = first; i < last; i++) {
            int k = i % n;
            int w = (shape.columnEnd(k) - shape.columnStart(k) + 1) / 2;
            for (int j = 0; j < 64; j++) {
                int key = 2 * (64 * (i - first) + j);
                for (int b = 0; b < w; b++, at += 2) {
                    rep[at] = keys[key];
                    rep[at + 1] = keys[key + 1];
                }
            }
        }
        hash.hash(rep, 0, rep, 0, blocks, tweak);
        return rep;
    }

    private static int chunkEnd(LinearShape shape, int first, int total) {
        int n = shape.inputs();
        int blocks = 0;
        int i = first;
        while (i < total) {
            int k = i % n;
            int w = 64 * ((shape.columnEnd(k) - shape.columnStart(k) + 1) / 2);
            if (i > first && blocks + w > CHUNK_BLOCKS) {
                break;
            }
            blocks += w;
            i++;
        }
        return i;
    }

    private static int padBlocks(LinearShape shape, int first, int last) {
        int n = shape.inputs();
        int blocks = 0;
        for (int i = first; i < last; i++) {
            int k = i % n;
            blocks += 64 * ((shape.columnEnd(k) - shape.columnStart(k) + 1) / 2);
        }
        return blocks;
    }

    private static int words(LinearShape shape, int first, int last) {
        int n = shape.inputs();
        long bits = 0;
        for (int i = first; i < last; i++) {
            int k = i % n;
            bits += (long) BITS_PER_ENTRY * (shape.columnEnd(k) - shape.columnStart(k));
        }
        return (int) ((bits + 63) / 64);
    }

    /** Bytes the sender's corrections take for one column of x: 260 per entry, rounded to whole words. */
    public static long correctionBytesPerColumn(LinearShape shape) {
        return (long) shape.entries() * BITS_PER_ENTRY / 8;
    }
}
