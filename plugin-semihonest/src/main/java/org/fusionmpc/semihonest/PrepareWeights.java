package org.fusionmpc.semihonest;

import java.util.Locale;

/**
 * Whether a server prepares its RLWE weights once when it loads a model ({@link ServerWeights}): {@code ON}
 * always (refusing to start when the memory budget cannot hold them), {@code OFF} never (every session encodes
 * its weights again), {@code AUTO} layer by layer while they fit a quarter of the budget and leave room for a
 * session of one input.
 */
public enum PrepareWeights {
    AUTO, ON, OFF;

    /** The command-line spelling: auto, on or off. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses auto, on or off (any case); anything else is a clear error. */
    public static PrepareWeights of(String s) {
        for (PrepareWeights p : values()) {
            if (p.id().equalsIgnoreCase(s.trim())) {
                return p;
            }
        }
        throw new IllegalArgumentException("--prepare-weights takes auto, on or off, not '" + s + "'");
    }
}
