package org.fusionmpc.fusion;

import java.nio.charset.StandardCharsets;
import java.util.Objects;
import org.fusionmpc.api.channel.Channel;
import org.fusionmpc.api.session.Role;
import org.fusionmpc.api.session.Session;
import org.fusionmpc.semihonest.InferenceServer;

/**
 * The Fusion server: announces its claimed accuracy, then answers the client's mixed batch with the
 * semi-honest backend. It cannot tell which slots are checks; it needs no change to be checkable.
 */
public final class FusionServer {

    private final InferenceServer backend;
    private final double claimedAccuracy;
    private final String modelName;

    public FusionServer(InferenceServer backend, double claimedAccuracy) {
        this.backend = Objects.requireNonNull(backend, "backend");
        if (!(claimedAccuracy > 0 && claimedAccuracy <= 1)) {
            throw new IllegalArgumentException("claimed accuracy must be in (0, 1], got " + claimedAccuracy);
        }
        this.claimedAccuracy = claimedAccuracy;
        this.modelName = backend.network().name();
    }

    public InferenceServer backend() {
        return backend;
    }

    public double claimedAccuracy() {
        return claimedAccuracy;
    }

    /** The same server with its backend replaced (a cheating server built by {@link CheatingStrategy}). */
    public FusionServer withBackend(InferenceServer other) {
        return new FusionServer(other, claimedAccuracy);
    }

    /** The same server claiming {@code claim} instead (a cheating server's low claim). */
    public FusionServer withClaim(double claim) {
        return new FusionServer(backend, claim);
    }

    /** Serves one session; returns the number of slots answered. */
    public int serve(Channel channel) {
        Session.open(channel, Role.SERVER, FusionProvider.ID);
        channel.send(new long[] {Double.doubleToLongBits(claimedAccuracy)});
        channel.send(modelName.getBytes(StandardCharsets.UTF_8));
        return backend.serve(channel);
    }
}
