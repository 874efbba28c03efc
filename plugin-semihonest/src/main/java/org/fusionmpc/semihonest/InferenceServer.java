package org.fusionmpc.semihonest;

import java.util.Objects;
import org.fusionmpc.api.channel.Channel;
import org.fusionmpc.api.session.Role;
import org.fusionmpc.api.session.Session;
import org.fusionmpc.ring.FixedPoint;

/** The server of semi-honest secure inference: holds a model and serves sessions, one per call. */
public final class InferenceServer {

    private final Network network;
    private final FixedPoint fixedPoint;
    private final int maxBatch;
    private final boolean allowLogits;
    private final ServerDeviation deviation;
    private int threads = org.fusionmpc.he.HeLinearEngine.DEFAULT_THREADS;

    public InferenceServer(Network network, FixedPoint fixedPoint, int maxBatch, boolean allowLogits) {
        this(network, fixedPoint, maxBatch, allowLogits, null);
    }

    /** A server that deviates from the protocol as {@code deviation} says: for simulating cheating servers only. */
    public InferenceServer(Network network, FixedPoint fixedPoint, int maxBatch, boolean allowLogits, ServerDeviation deviation) {
        this.deviation = deviation;
        this.network = Objects.requireNonNull(network, "network");
        this.fixedPoint = Objects.requireNonNull(fixedPoint, "fixedPoint");
        if (maxBatch < 1) {
            throw new IllegalArgumentException("max batch must be positive, got " + maxBatch);
        }
        this.maxBatch = maxBatch;
        this.allowLogits = allowLogits;
    }

    public Network network() {
        return network;
    }

    /** The same server with a different model (e.g. a cheating server's worse one), deviation kept. */
    public InferenceServer withNetwork(Network other) {
        return new InferenceServer(other, fixedPoint, maxBatch, allowLogits, deviation).withThreads(threads);
    }

    /** The same server deviating as {@code d}. */
    public InferenceServer withDeviation(ServerDeviation d) {
        return new InferenceServer(network, fixedPoint, maxBatch, allowLogits, d).withThreads(threads);
    }

    /**
     * The same server computing RLWE products and expanding its OT extensions' leaves on {@code count} threads
     * (results and wire do not depend on it).
     */
    public InferenceServer withThreads(int count) {
        if (count < 1 || count > 64) {
            throw new IllegalArgumentException("threads must be 1..64, got " + count);
        }
        InferenceServer s = new InferenceServer(network, fixedPoint, maxBatch, allowLogits, deviation);
        s.threads = count;
        return s;
    }

    /** Runs one session on {@code channel} (handshake included); returns the number of inputs served (0 if refused). */
    public int serve(Channel channel) {
        Session.open(channel, Role.SERVER, SemiHonestProvider.ID);
        return SecureRunner.serve(network, channel, fixedPoint, maxBatch, allowLogits, deviation, threads);
    }
}
