package org.fusionmpc.ot;

import java.security.SecureRandom;
import java.util.Locale;
import org.fusionmpc.api.channel.Channel;

/**
 * The OT extensions a protocol can run on, chosen per session: both ends of a session must set up the same one with
 * the same parameters (SoftSpokenOT's k; the silent extension's {@link FerretParams}).
 *
 * <ul>
 *   <li>{@link #SOFTSPOKEN}: SoftSpokenOT, 128/k bits from the receiver per OT, no setup beyond 128 base OTs;
 *       the fewer bytes for short sessions.</li>
 *   <li>{@link #SILENT}: Ferret on regular-noise LPN, about 0.45 bits per random-choice OT (1.45 where the receiver
 *       chooses) after a setup of about 1.2 MB (SoftSpokenOT for the bootstrap round, then the first rounds); the
 *       fewer bytes from a few hundred thousand OTs on.</li>
 * </ul>
 */
public enum OtExtension {
    SOFTSPOKEN,
    SILENT;

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static OtExtension parse(String s) {
        for (OtExtension e : values()) {
            if (e.id().equals(s.strip().toLowerCase(Locale.ROOT))) {
                return e;
            }
        }
        throw new IllegalArgumentException("the OT extension must be softspoken or silent, got '" + s + "'");
    }

    /** Sets up this extension's sender; the peer calls {@link #receiver} with the same k. */
    public OtSender sender(Channel channel, SecureRandom random, int k, int threads) {
        return this == SOFTSPOKEN ? SoftSpokenOtSender.setup(channel, random, k).withThreads(threads)
                : SilentOtSender.setup(channel, random).withThreads(threads);
    }

    public OtReceiver receiver(Channel channel, SecureRandom random, int k, int threads) {
        return this == SOFTSPOKEN ? SoftSpokenOtReceiver.setup(channel, random, k).withThreads(threads)
                : SilentOtReceiver.setup(channel, random).withThreads(threads);
    }

    /** Heap one party's instance holds beyond the protocol's own buffers. */
    public long heapBytes() {
        // Silent: the round's code input (K blocks), the next round's reserve, one slab, the level pads.
        return this == SOFTSPOKEN ? 4L << 20
                : 16L * (FerretParams.REGULAR_2024.k() + FerretParams.REGULAR_2024.reserve()) + (4L << 20);
    }
}
