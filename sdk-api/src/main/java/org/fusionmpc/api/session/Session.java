package org.fusionmpc.api.session;

import java.util.Objects;
import org.fusionmpc.api.channel.Channel;
import org.fusionmpc.api.channel.ChannelStats;
import org.fusionmpc.api.random.Prg;

/**
 * One run of one protocol between the two parties: a channel that has passed the {@link Handshake}, this
 * party's role, and this party's private randomness (a {@link Prg} seeded from {@code SecureRandom}, never
 * shared). Closing the session closes its channel.
 */
public final class Session implements AutoCloseable {

    private final Channel channel;
    private final Role role;
    private final ProtocolId protocol;
    private final Prg random;
    private final ChannelStats startStats;

    private Session(Channel channel, Role role, ProtocolId protocol) {
        this.channel = channel;
        this.role = role;
        this.protocol = protocol;
        this.random = Prg.fromSecureRandom();
        this.startStats = channel.stats();
    }

    /**
     * Runs the handshake for {@code protocol} on {@code channel} as {@code role} and opens the session; a peer of
     * another protocol or of the same role is refused at once, on both sides.
     */
    public static Session open(Channel channel, Role role, ProtocolId protocol) {
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(role, "role");
        Handshake.exchange(channel, protocol, role);
        return new Session(channel, role, protocol);
    }

    public Channel channel() {
        return channel;
    }

    public Role role() {
        return role;
    }

    public ProtocolId protocol() {
        return protocol;
    }

    /** This party's private randomness for this session. */
    public Prg random() {
        return random;
    }

    /** The traffic of this session so far, the handshake excluded. */
    public ChannelStats traffic() {
        return channel.stats().minus(startStats);
    }

    @Override
    public void close() {
        channel.close();
    }
}
