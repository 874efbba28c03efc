package org.fusionmpc.semihonest;

/**
 * A hook for simulating a server that deviates from the protocol: called with the server's own share after
 * each layer (and once more before the output step), it may change that share, which changes the shared
 * value by the same amount. Honest servers have none. It exists so that Fusion's cheating-server catalogue
 * can run real two-party sessions; see {@code --simulate-cheating}.
 */
@FunctionalInterface
public interface ServerDeviation {

    /**
     * @param layer     index of the layer just evaluated, or -1 for the logits right before the output step
     * @param kind      "linear", "relu", "maxpool" or "logits"
     * @param share     the server's share, {@code batch} slots of {@code perSlot} values each, in fixed point
     * @param fractionBits the fixed-point scale of the values
     */
    void apply(int layer, String kind, long[] share, int batch, int perSlot, int fractionBits);

    /**
     * For a server that computes across slots through the RLWE linear engine: the matrix M (batch × batch) by which
     * the engine's {@code call}-th product replaces slot b's input ciphertexts with Σ_b' M[b][b']·slot b''s, or
     * null for none (the default). Under slot isolation such a mix decrypts to noise; with the OT engine there are
     * no ciphertexts to mix and this is never called.
     */
    default long[][] slotMixing(int call, int batch) {
        return null;
    }
}
