package org.fusionmpc.semihonest;

import java.util.Locale;

/**
 * Which engine evaluates the linear layers; the client chooses it per session.
 *
 * <ul>
 *   <li>{@link #HE}: Cheetah's RLWE linear layers ({@code HeLinearEngine}) on shares over Z_2^37 (ℓ = 32..41
 *       per session, {@code InferenceClient#withRingBits}), with exact
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

    /** ℓ by default: shares live in Z_2^ℓ. */
    public int ringBits() {
        return ringBits;
    }

    /** The narrowest ℓ a session of this engine may ask for. */
    public int minRingBits() {
        return this == HE ? 32 : 64;
    }

    /** The widest ℓ: the RLWE parameters' primes are 1 mod 2^41, so 41 for {@link #HE}; 64 for {@link #OT}. */
    public int maxRingBits() {
        return this == HE ? 41 : 64;
    }

    /**
     * ℓ for a session that asks for {@code requested} bits, 0 meaning this engine's default; refuses one the
     * engine does not run.
     */
    public int ringBits(int requested) {
        int bits = requested == 0 ? ringBits : requested;
        checkRingBits(bits);
        return bits;
    }

    /** Refuses an ℓ this engine does not run with a message that names its range. */
    public void checkRingBits(int bits) {
        if (bits < minRingBits() || bits > maxRingBits()) {
            throw new IllegalArgumentException("the " + id() + " linear engine runs on shares of "
                    + (minRingBits() == maxRingBits() ? minRingBits() + " bits" : minRingBits() + ".." + maxRingBits() + " bits")
                    + ", not " + bits);
        }
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
