package org.fusionmpc.semihonest;

import java.util.Locale;

/**
 * Which engine evaluates the linear layers; the client chooses it per session.
 *
 * <ul>
 *   <li>{@link #HE}: Cheetah's RLWE linear layers ({@code HeLinearEngine}) on shares over Z_2^37, with exact
 *       truncation fused into the garbled ReLU and max-pool circuits. The default: on every bundled model it
 *       is faster and sends a fraction of the bytes ({@code ./fusion bench infer --linear ot|he}).</li>
 *   <li>{@link #OT}: Gilboa products by IKNP OT ({@code OtLinearEngine}) on shares over Z_2^64 with local
 *       (SecureML) truncation. No lattice assumption, and no limit on channel size.</li>
 * </ul>
 */
public enum LinearMode {
    OT(64),
    HE(37);

    public static final LinearMode DEFAULT = HE;

    private final int ringBits;

    LinearMode(int ringBits) {
        this.ringBits = ringBits;
    }

    /** ℓ: shares live in Z_2^ℓ. */
    public int ringBits() {
        return ringBits;
    }

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static LinearMode parse(String s) {
        for (LinearMode m : values()) {
            if (m.id().equalsIgnoreCase(s.strip())) {
                return m;
            }
        }
        throw new IllegalArgumentException("the linear engine must be ot or he, got '" + s + "'");
    }
}
