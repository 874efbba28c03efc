package org.fusionmpc.ot;

/**
 * The sender of batched 1-out-of-2 oblivious transfers. Blocks follow {@link org.fusionmpc.api.random.Blocks}:
 * block {@code i} is {@code (a[2i], a[2i+1])}. Each call is one batch that the receiver mirrors with the same
 * {@code n}; long batches are split into chunks internally, and a caller streams by calling repeatedly with
 * arrays it reuses. Not thread-safe: one sender per channel and thread.
 */
public interface OtSender {

    /** The global correlation Δ of the correlated OTs (a copy; one block). */
    long[] delta();

    /** Correlated OT: writes q_i to block {@code i} of {@code q}; the receiver learns q_i ⊕ c_i·Δ. */
    void correlated(int n, long[] q);

    /** Random OT: writes two random blocks m0_i, m1_i; the receiver learns m_{c_i}. */
    void random(int n, long[] m0, long[] m1);

    /**
     * Chosen-message OT of messages of {@code longsPerMessage} longs: message {@code b} of OT {@code i} is
     * {@code xb[i * longsPerMessage, (i + 1) * longsPerMessage)}; the receiver learns x_{c_i}.
     */
    void chosen(int n, long[] x0, long[] x1, int longsPerMessage);

    /**
     * Chosen-message OT of short messages: the low {@code bits} bits of {@code x0[i]}, {@code x1[i]}, which is
     * all that travels (packed) where the implementation supports it. For ℓ-bit shares this sends 2ℓ bits per
     * OT instead of 128.
     */
    default void chosenBits(int n, long[] x0, long[] x1, int bits) {
        chosen(n, x0, x1, 1);
    }

    /**
     * Additively correlated OT of ℓ-bit values (CrypTFlow2's COT): writes a random x_i to {@code x}; the receiver learns
     * x_i + c_i·{@code correlation[i]} mod 2^ℓ. ℓ bits per OT travel where the implementation supports it (both of
     * this SDK's extensions do); this default runs a chosen OT of x_i and x_i + a_i, 2ℓ bits.
     */
    default void additive(int n, long[] correlation, long[] x, int bits) {
        if (bits < 1 || bits > 64) {
            throw new IllegalArgumentException("ring elements have 1..64 bits, got " + bits);
        }
        long mask = bits == 64 ? -1L : (1L << bits) - 1;
        org.fusionmpc.api.random.Prg.fromSecureRandom().nextLongs(x, 0, n);
        long[] x1 = new long[n];
        for (int i = 0; i < n; i++) {
            x[i] &= mask;
            x1[i] = (x[i] + correlation[i]) & mask;
        }
        chosenBits(n, x, x1, bits);
    }

    /**
     * Random OT in which the receiver's choices are random too ({@link OtReceiver#randomWithRandomChoices}): what a
     * silent extension makes without any message of its own. This default is {@link #random}.
     */
    default void randomWithRandomChoices(int n, long[] m0, long[] m1) {
        random(n, m0, m1);
    }
}
