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
}
