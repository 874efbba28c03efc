package org.fusionmpc.ring;

import java.security.SecureRandom;
import java.util.Objects;
import org.fusionmpc.api.channel.Channel;
import org.fusionmpc.ot.SoftSpokenOtReceiver;
import org.fusionmpc.ot.SoftSpokenOtSender;
import org.fusionmpc.ot.OtReceiver;
import org.fusionmpc.ot.OtSender;

/**
 * The OT-based {@link LinearEngine}: the server computes M·x_s locally and the cross term M·x_c by
 * {@link GilboaProduct} with the client as OT receiver, so its share is M·x_s + (its Gilboa share) and the
 * client's is its Gilboa share. One round trip per chunk of inputs (the IKNP columns up, the corrections
 * down). Exact over Z_2^64; semi-honest security.
 */
public final class OtLinearEngine implements LinearEngine {

    private final GilboaProduct gilboa;
    private final OtSender sender;
    private final OtReceiver receiver;

    private OtLinearEngine(Channel channel, OtSender sender, OtReceiver receiver) {
        this.gilboa = new GilboaProduct(Objects.requireNonNull(channel, "channel"));
        this.sender = sender;
        this.receiver = receiver;
    }

    /** The server's engine on an IKNP sender already set up with the client. */
    public static OtLinearEngine server(Channel channel, OtSender ot) {
        return new OtLinearEngine(channel, Objects.requireNonNull(ot, "ot"), null);
    }

    /** The client's engine on an IKNP receiver already set up with the server. */
    public static OtLinearEngine client(Channel channel, OtReceiver ot) {
        return new OtLinearEngine(channel, null, Objects.requireNonNull(ot, "ot"));
    }

    /** The server's engine with its own base OTs. */
    public static OtLinearEngine server(Channel channel) {
        return server(channel, SoftSpokenOtSender.setup(channel, new SecureRandom()));
    }

    /** The client's engine with its own base OTs. */
    public static OtLinearEngine client(Channel channel) {
        return client(channel, SoftSpokenOtReceiver.setup(channel, new SecureRandom()));
    }

    @Override
    public long[] server(LinearOperator m, long[] xShare, int batch) {
        if (sender == null) {
            throw new IllegalStateException("this is the client's engine");
        }
        long[] local = m.apply(xShare, batch); // checks the shape before anything is sent
        long[] cross = gilboa.send(sender, m, batch);
        for (int i = 0; i < local.length; i++) {
            local[i] += cross[i];
        }
        return local;
    }

    @Override
    public long[] client(LinearShape shape, long[] xShare, int batch) {
        if (receiver == null) {
            throw new IllegalStateException("this is the server's engine");
        }
        return gilboa.receive(receiver, shape, xShare, batch);
    }
}
