package org.fusionmpc.semihonest;

import org.fusionmpc.ot.OtExtension;

/**
 * The client's session request, eight longs on the wire: batch size, output mode (0 labels, 1 logits), linear engine,
 * comparison engine, SoftSpokenOT's k, ℓ, the OT extension and batch packing (0 off, 1 on; the RLWE engine's
 * {@code HeLinearEngine#withBatchPacking}). The server reads any six longs a stranger sends through
 * {@link #check}, which accepts only a canonical request: every word the exact value of a field in range, so a
 * request is accepted iff it is the {@link #words()} of some request (a k of 2^32 + 1 is not k = 1).
 */
record SessionRequest(int batch, boolean logits, LinearMode linear, ComparisonMode comparison, int otK, int ringBits,
                      OtExtension ot, boolean packed) {

    static final int WORDS = 8;

    long[] words() {
        return new long[] {batch, logits ? 1 : 0, linear.ordinal(), comparison.ordinal(), otK, ringBits, ot.ordinal(), packed ? 1 : 0};
    }

    /** The server's reading of a request: a verdict ({@link SecureRunner#ACCEPT} or a refusal code) and, if accepted, the request. */
    record Checked(int verdict, SessionRequest request) {
    }

    /** Checks the words from the peer against what this server serves; never throws on any input. */
    static Checked check(long[] w, int maxBatch, boolean allowLogits) {
        if (w.length != WORDS) {
            throw new IllegalArgumentException("a session request is " + WORDS + " longs, got " + w.length);
        }
        if (w[0] < 1 || w[0] > maxBatch) {
            return new Checked(SecureRunner.REFUSE_BATCH, null);
        }
        if (w[1] != 0 && !(w[1] == 1 && allowLogits)) {
            return new Checked(SecureRunner.REFUSE_LOGITS, null);
        }
        LinearMode linear = w[2] >= 0 && w[2] < LinearMode.values().length ? LinearMode.values()[(int) w[2]] : null;
        ComparisonMode cmp = w[3] >= 0 && w[3] < ComparisonMode.values().length ? ComparisonMode.values()[(int) w[3]] : null;
        boolean kOk = w[4] == 1 || w[4] == 2 || w[4] == 4 || w[4] == 8;
        OtExtension ot = w[6] >= 0 && w[6] < OtExtension.values().length ? OtExtension.values()[(int) w[6]] : null;
        if (linear == null || cmp == null || !kOk || ot == null || w[5] < linear.minRingBits() || w[5] > linear.maxRingBits()
                || w[7] != 0 && w[7] != 1) {
            return new Checked(SecureRunner.REFUSE_ENGINE, null);
        }
        return new Checked(SecureRunner.ACCEPT, new SessionRequest((int) w[0], w[1] == 1, linear, cmp, (int) w[4], (int) w[5], ot, w[7] == 1));
    }
}
