package org.fusionmpc.semihonest;

import java.util.Objects;
import org.fusionmpc.api.channel.Channel;
import org.fusionmpc.api.session.Role;
import org.fusionmpc.api.session.MemoryBudget;
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
    /** Shared by every copy of this server ({@code with*}), so concurrent sessions draw on one budget. */
    private MemoryBudget budget = MemoryBudget.ofHeapFraction(DEFAULT_HEAP_FRACTION);
    /** Shared by every copy that serves the same model, so the weights are prepared once. */
    private ServerWeights weights;

    /** The default memory budget: this share of the maximum heap, the rest for the model and the JVM. */
    public static final double DEFAULT_HEAP_FRACTION = 0.75;

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
        this.weights = new ServerWeights(network, fixedPoint, PrepareWeights.AUTO);
    }

    private InferenceServer copy(Network net, ServerDeviation d) {
        InferenceServer s = new InferenceServer(net, fixedPoint, maxBatch, allowLogits, d);
        s.threads = threads;
        s.budget = budget;
        s.weights = net == network ? weights : new ServerWeights(net, fixedPoint, weights.mode());
        return s;
    }

    public Network network() {
        return network;
    }

    /** The same server with a different model (e.g. a cheating server's worse one), deviation kept. */
    public InferenceServer withNetwork(Network other) {
        return copy(other, deviation);
    }

    /** The same server deviating as {@code d}. */
    public InferenceServer withDeviation(ServerDeviation d) {
        return copy(network, d);
    }

    /**
     * The same server admitting sessions against {@code b}: a session whose estimated heap (from the model and the
     * batch it asks for) does not fit what is left is refused with the largest batch that would fit, before anything
     * is allocated for it. Every server shares its budget with its copies; by default {@value #DEFAULT_HEAP_FRACTION}
     * of the maximum heap.
     */
    public InferenceServer withMemoryBudget(MemoryBudget b) {
        InferenceServer s = copy(network, deviation);
        s.budget = java.util.Objects.requireNonNull(b, "budget");
        s.weights = new ServerWeights(network, fixedPoint, weights.mode()); // its reservation belongs to the old budget
        return s;
    }

    public MemoryBudget memoryBudget() {
        return budget;
    }

    /** The heap this server admits a session of {@code batch} inputs on the given engine for. */
    public long sessionBytes(LinearMode mode, int batch) {
        return sessionBytes(mode, InferenceClient.resolveOt(null, network, batch), batch);
    }

    /** The heap a session of {@code batch} inputs on this OT extension is admitted for. */
    public long sessionBytes(LinearMode mode, org.fusionmpc.ot.OtExtension ot, int batch) {
        return SessionMemory.estimate(network, mode, ot, batch, threads);
    }

    /**
     * The same server computing RLWE products and expanding its OT extensions' leaves on {@code count} threads
     * (results and wire do not depend on it).
     */
    public InferenceServer withThreads(int count) {
        if (count < 1 || count > 64) {
            throw new IllegalArgumentException("threads must be 1..64, got " + count);
        }
        InferenceServer s = copy(network, deviation);
        s.threads = count;
        return s;
    }

    /**
     * The same server preparing its RLWE weights as {@code mode} says (default {@link PrepareWeights#AUTO}): each
     * linear layer's weights encoded and in NTT form once, shared by every session, their heap reserved from the
     * session budget. Preparation runs at {@link #prepareWeights()} or on the first RLWE session.
     */
    public InferenceServer withPrepareWeights(PrepareWeights mode) {
        InferenceServer s = copy(network, deviation);
        s.weights = new ServerWeights(network, fixedPoint, java.util.Objects.requireNonNull(mode, "mode"));
        return s;
    }

    /**
     * Prepares the RLWE weights now if the mode and the budget say so (once; later calls return the same report)
     * and returns a one-line report of what was prepared and what it holds, for the server's start-up output.
     * Throws {@link IllegalStateException} under {@link PrepareWeights#ON} when the budget cannot hold them.
     */
    public String prepareWeights() {
        return preparedWeights().toString();
    }

    /** The heap the prepared weights hold (0 when none are prepared). */
    public long preparedWeightBytes() {
        return preparedWeights().bytes();
    }

    private ServerWeights.Report preparedWeights() {
        return weights.prepare(budget, threads, SessionMemory.estimate(network, LinearMode.HE,
                InferenceClient.resolveOt(null, network, 1), 1, threads));
    }

    /** The prepared weights of every linear layer, prepared on first use (null where none are). */
    private java.util.function.Function<Layer.Linear, org.fusionmpc.he.PreparedWeights> preparedLayers() {
        preparedWeights();
        return weights::get;
    }

    /** Runs one session on {@code channel} (handshake included); returns the number of inputs served (0 if refused). */
    public int serve(Channel channel) {
        Session.open(channel, Role.SERVER, SemiHonestProvider.ID);
        return SecureRunner.serve(network, channel, fixedPoint, maxBatch, allowLogits, deviation, threads, budget, this::preparedLayers);
    }
}
