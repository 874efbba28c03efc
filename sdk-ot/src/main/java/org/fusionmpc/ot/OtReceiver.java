package org.fusionmpc.ot;

/**
 * The receiver of batched 1-out-of-2 oblivious transfers; mirrors {@link OtSender} call by call. Choice bits
 * are packed ({@link Bits}): bit {@code i} of {@code choices} is the choice of OT {@code i} of the call.
 */
public interface OtReceiver {

    /** Correlated OT: writes t_i = q_i ⊕ c_i·Δ to block {@code i} of {@code t}. */
    void correlated(int n, long[] choices, long[] t);

    /** Random OT: writes m_{c_i} to block {@code i} of {@code m}. */
    void random(int n, long[] choices, long[] m);

    /** Chosen-message OT: writes x_{c_i} to {@code out[i * longsPerMessage, (i + 1) * longsPerMessage)}. */
    void chosen(int n, long[] choices, long[] out, int longsPerMessage);

    /** Mirrors {@link OtSender#chosenBits}: writes the low {@code bits} bits of x_{c_i} to {@code out[i]}. */
    default void chosenBits(int n, long[] choices, long[] out, int bits) {
        chosen(n, choices, out, 1);
        if (bits < 64) {
            for (int i = 0; i < n; i++) {
                out[i] &= (1L << bits) - 1;
            }
        }
    }

    /** Mirrors {@link OtSender#additive}: writes x_i + c_i·a_i mod 2^ℓ to {@code out[i]}. */
    default void additive(int n, long[] choices, long[] out, int bits) {
        chosenBits(n, choices, out, bits);
    }

    /**
     * Mirrors {@link OtSender#randomWithRandomChoices}: writes n random choice bits to {@code choicesOut} and m_{c_i} to
     * block {@code i} of {@code m}. This default draws the choices from a fresh {@link java.security.SecureRandom}
     * seeded generator and runs {@link #random}.
     */
    default void randomWithRandomChoices(int n, long[] choicesOut, long[] m) {
        int words = Bits.words(n);
        org.fusionmpc.api.random.Prg.fromSecureRandom().nextLongs(choicesOut, 0, words);
        if ((n & 63) != 0) {
            choicesOut[words - 1] &= (1L << (n & 63)) - 1;
        }
        random(n, choicesOut, m);
    }
}
