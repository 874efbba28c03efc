package org.fusionmpc.semihonest;

import java.util.Locale;

/**
 * Which engine evaluates ReLU, max-pool and argmax; the client chooses it per session.
 *
 * <ul>
 *   <li>{@link #GC}: garbled circuits ({@code GcComparisons}), the server garbles; exact, including the fused
 *       truncation.</li>
 *   <li>{@link #OT}: CrypTFlow2's millionaires' comparison by 1-out-of-16 OT and bit triples
 *       ({@code OtComparisons}); about a fifth of the bytes per ReLU; its truncation may be one unit low.</li>
 * </ul>
 */
public enum ComparisonMode {
    GC,
    OT;

    public static final ComparisonMode DEFAULT = OT;

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static ComparisonMode parse(String s) {
        for (ComparisonMode m : values()) {
            if (m.id().equalsIgnoreCase(s.strip())) {
                return m;
            }
        }
        throw new IllegalArgumentException("the comparison engine must be gc or ot, got '" + s + "'");
    }
}
