package org.fusionmpc.ot;

import java.util.Locale;

/**
 * A parameter set of Ferret's primal-LPN silent OT extension (Yang, Weng, Lan, Zhang, Wang, CCS 2020) with regular
 * noise: each round turns k + t·log2(n/t) correlated OTs into n, by an LPN instance of dimension k, n samples and
 * t noise positions, one in each of t bins of n/t; a bootstrap round of the same kind, fed by SoftSpokenOT, makes
 * the first round's k + t·log2(n/t). Each round keeps that many of its own outputs for the next.
 *
 * <p>Security rests on the regular-noise LPN assumption with the d = 10 local linear code Ferret uses. Estimates of
 * its bit security have moved: Briaud and Øygarden's algebraic attack on regular syndrome decoding (Eurocrypt 2023)
 * lowered the estimates of the original Ferret sets, after which emp-ot replaced them by larger ones. {@link #REGULAR_2024} is that
 * replacement and the default. A newer analysis (eprint 2025/1476) reports further attacks whose effect on this set
 * we have not re-estimated; the threat-model page says so.
 *
 * @param name       how sessions and benches name the set; both parties must use the same one
 * @param n          COTs one round makes
 * @param k          the LPN dimension
 * @param t          noise positions, one per bin
 * @param logBin     log2 of the bin size n/t: the depth of each GGM tree
 * @param nPre       the bootstrap round's n, and so on
 */
public record FerretParams(String name, int n, int k, int t, int logBin, int nPre, int kPre, int tPre, int logBinPre) {

    /**
     * emp-ot's regular-noise set after the 2023 algebraic attack: n = 10,608,640, k = 589,824, t = 1,295 (bins of
     * 2^13); bootstrap n = 649,728, k = 36,288, t = 1,269 (bins of 2^9). Claimed 128 bits by the analysis emp-ot
     * adopted; 10,001,981 COTs per round for 1,295 · 27 blocks sent (0.45 bits per COT).
     */
    public static final FerretParams REGULAR_2024 = new FerretParams("regular-2024", 10_608_640, 589_824, 1_295, 13,
            649_728, 36_288, 1_269, 9);

    /** For tests only: rounds of a few thousand COTs, so that tests cross many rounds. No security at all. */
    public static final FerretParams INSECURE_TINY_FOR_TESTS = new FerretParams("insecure-tiny-for-tests", 64 * 64, 512, 64, 6,
            32 * 64, 256, 32, 6);

    public FerretParams {
        if (n != t << logBin || nPre != tPre << logBinPre) {
            throw new IllegalArgumentException("n must be t·2^logBin in both rounds: " + n + ", " + t + ", " + logBin + "; "
                    + nPre + ", " + tPre + ", " + logBinPre);
        }
        if (logBin < 1 || logBin > 20 || logBinPre < 1 || logBinPre > 20 || k < 1 || kPre < 1) {
            throw new IllegalArgumentException("bins of 2^1..2^20 and k ≥ 1, got " + this);
        }
        if (nPre < reserve() || n <= reserve()) {
            throw new IllegalArgumentException("a round must make more COTs than the next one consumes: " + this);
        }
    }

    /** COTs a main round consumes (its LPN secret, then its trees' level OTs), kept back from the round before. */
    public int reserve() {
        return k + t * logBin;
    }

    /** COTs the bootstrap round consumes, made by SoftSpokenOT. */
    public int bootstrapReserve() {
        return kPre + tPre * logBinPre;
    }

    /** COTs a main round hands out. */
    public int perRound() {
        return n - reserve();
    }

    /** Bytes the sender sends per main round: two blocks per tree level and one per tree. */
    public long bytesPerRound() {
        return 16L * t * (2L * logBin + 1);
    }

    public static FerretParams byName(String name) {
        for (FerretParams p : new FerretParams[] {REGULAR_2024, INSECURE_TINY_FOR_TESTS}) {
            if (p.name.equals(name.strip().toLowerCase(Locale.ROOT))) {
                return p;
            }
        }
        throw new IllegalArgumentException("unknown Ferret parameter set '" + name + "'; known: " + REGULAR_2024.name
                + ", " + INSECURE_TINY_FOR_TESTS.name);
    }
}
