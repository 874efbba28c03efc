package org.fusionmpc.ot;

import java.util.Arrays;
import org.fusionmpc.api.channel.Channel;
import org.fusionmpc.api.channel.ChannelException;

/**
 * The first message of every OT extension's setup, both ways at once: which extension this side runs and with which
 * parameters. A peer that runs another extension, or the same one with other parameters, is refused with a message
 * that names both sides' choices, before any base OT runs; otherwise the mismatch would surface later as a point that
 * does not decode or a message of the wrong length, or, worse, as outputs that do not correlate.
 */
final class ExtensionAgreement {

    /** "OTEXT" and a version, so that a peer that speaks something else entirely is told so. */
    static final long MAGIC = 0x4f54_4558_5401L;
    static final int PARAM_WORDS = 8;

    private ExtensionAgreement() {
    }

    static void agree(Channel channel, OtExtension kind, long[] params, String described) {
        long[] ours = new long[2 + PARAM_WORDS];
        ours[0] = MAGIC;
        ours[1] = kind.ordinal();
        System.arraycopy(params, 0, ours, 2, params.length);
        channel.send(ours);
        channel.flush();
        long[] theirs = new long[ours.length];
        channel.receive(theirs, 0, theirs.length);
        if (theirs[0] != MAGIC) {
            throw refuse(channel, "the peer did not open an OT extension of this version (first word 0x"
                    + Long.toHexString(theirs[0]) + "); this side runs " + described);
        }
        if (theirs[1] != ours[1]) {
            String peer = theirs[1] >= 0 && theirs[1] < OtExtension.values().length
                    ? name(OtExtension.values()[(int) theirs[1]]) : "an unknown OT extension (" + theirs[1] + ")";
            throw refuse(channel, "the peer runs " + peer + "; this side runs " + described
                    + ": both parties must choose the same OT extension");
        }
        if (!Arrays.equals(ours, theirs)) {
            throw refuse(channel, "the peer runs " + name(kind) + " with parameters "
                    + Arrays.toString(Arrays.copyOfRange(theirs, 2, 2 + params.length)) + "; this side runs " + described);
        }
    }

    static String name(OtExtension kind) {
        return kind == OtExtension.SOFTSPOKEN ? "SoftSpokenOT" : "the silent OT extension (Ferret)";
    }

    private static ChannelException refuse(Channel channel, String message) {
        channel.close();
        return new ChannelException(ChannelException.Kind.PROTOCOL, message);
    }
}
