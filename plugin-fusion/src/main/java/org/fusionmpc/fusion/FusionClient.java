package org.fusionmpc.fusion;

import java.util.Objects;
import java.util.function.Consumer;
import org.fusionmpc.api.channel.Channel;
import org.fusionmpc.api.random.Prg;
import org.fusionmpc.api.session.ProtocolId;
import org.fusionmpc.api.session.Role;
import org.fusionmpc.api.session.Session;
import org.fusionmpc.semihonest.InferenceResult;
import org.fusionmpc.semihonest.ComparisonMode;
import org.fusionmpc.semihonest.LinearMode;

/**
 * The Fusion client (Dong et al., NDSS 2023; DESIGN section 6): hides its q private queries, R copies each,
 * among B public samples it can check, in a secret random order, inside one semi-honest session, and accepts
 * the answers only if every query's replicas agree and enough public samples are right.
 *
 * <p>After a {@code REJECT} the client must not trust the server again and must not resend the same inputs:
 * a deviation that depends on the input can turn a rejection into a bit about that input (selective
 * failure).
 */
public final class FusionClient {

    private final LabelledSet publicSet;
    /** The check samples on the input grid ({@link InputGrid}), in the public set's order. */
    private final double[][] checkImages;
    private final double escape;
    private final double shortfall;
    private final double falseAlarm;
    private final double miss;
    private final double honestFlip;
    private AccuracyLedger ledger;
    private String ledgerKey;
    private double sessionMiss;
    private LinearMode linear = LinearMode.DEFAULT;
    private ComparisonMode comparison = ComparisonMode.DEFAULT;
    private int otK = org.fusionmpc.semihonest.InferenceClient.AUTO_OT_K;
    private org.fusionmpc.ot.OtExtension ot; // null: automatic
    private int threads = 1;
    private int ringBits;
    private double minAccuracy = FusionTargets.DEFAULT_MIN_ACCURACY;
    private int maxSlots = FusionTargets.DEFAULT_MAX_SLOTS;
    private long maxValues = org.fusionmpc.semihonest.InferenceClient.defaultMaxValues();
    private int inputNoise;
    private byte[] insecureLayoutSeed;
    private int slotBucket = 1;

    /**
     * @param publicSet the labelled set the server's accuracy is claimed on (the MNIST test set by default); its shape is
     *     the queries' and its value grid theirs ({@link LabelledSet#grid()})
     */
    public FusionClient(LabelledSet publicSet, double escape, double shortfall, double falseAlarm, double miss, double honestFlip) {
        this(publicSet, checkedOnGrid(publicSet), escape, shortfall, falseAlarm, miss, honestFlip);
    }

    /** For {@link #copy()}: the check set was checked and put on the grid once, when the first client was made. */
    private FusionClient(LabelledSet publicSet, double[][] checkImages, double escape, double shortfall, double falseAlarm,
                         double miss, double honestFlip) {
        this.publicSet = publicSet;
        this.checkImages = checkImages;
        this.escape = escape;
        this.shortfall = shortfall;
        this.falseAlarm = falseAlarm;
        this.miss = miss;
        this.honestFlip = honestFlip;
    }

    private static double[][] checkedOnGrid(LabelledSet publicSet) {
        Objects.requireNonNull(publicSet, "publicSet");
        double[][] gridded = new double[publicSet.size()][];
        for (int i = 0; i < publicSet.size(); i++) {
            gridded[i] = publicSet.grid().onGrid(publicSet.samplesUnsafe()[i], "check sample " + i);
        }
        return gridded;
    }

    public static FusionClient withDefaults(LabelledSet publicSet) {
        return new FusionClient(publicSet, FusionTargets.DEFAULT_ESCAPE, FusionTargets.DEFAULT_SHORTFALL,
                FusionTargets.DEFAULT_FALSE_ALARM, FusionTargets.DEFAULT_MISS, FusionTargets.DEFAULT_HONEST_FLIP);
    }

    /**
     * Turns on the accuracy ledger for the server {@code serverKey} (e.g. its certificate fingerprint): public
     * outcomes accumulate across sessions and a sequential test ({@link AccuracyLedger}) watches them, so each
     * session may check fewer public samples: the optimizer then aims at {@code sessionMiss} per session
     * (e.g. 0.5) instead of the client's miss target, and the ledger supplies the power over time.
     */
    public FusionClient withLedger(AccuracyLedger ledger, String serverKey, double sessionMiss) {
        if (!(sessionMiss > 0 && sessionMiss < 1)) {
            throw new IllegalArgumentException("per-session miss must be in (0, 1), got " + sessionMiss);
        }
        FusionClient c = copy();
        c.ledger = Objects.requireNonNull(ledger, "ledger");
        c.ledgerKey = Objects.requireNonNull(serverKey, "serverKey");
        c.sessionMiss = sessionMiss;
        return c;
    }

    /** The same client with the given linear-layer engine for its sessions (the mixed batch runs on it). */
    public FusionClient withLinear(LinearMode mode) {
        FusionClient c = copy();
        c.linear = Objects.requireNonNull(mode, "mode");
        return c;
    }

    public LinearMode linear() {
        return linear;
    }

    /** The same client with the given engine for ReLU, max-pool and argmax. */
    public FusionClient withComparison(ComparisonMode mode) {
        FusionClient c = copy();
        c.comparison = Objects.requireNonNull(mode, "mode");
        return c;
    }

    public ComparisonMode comparison() {
        return comparison;
    }

    /** The same client with SoftSpokenOT's k for the inference's OT extensions (see {@code InferenceClient#withOtK}). */
    public FusionClient withOtK(int k) {
        org.fusionmpc.semihonest.InferenceClient.checkOtK(k);
        FusionClient c = copy();
        c.otK = k;
        return c;
    }

    /**
     * The same client on the given OT extension ({@code null}: automatic by the session's size, see
     * {@code InferenceClient#withOt}); a Fusion session of hundreds of slots takes the silent one automatically.
     */
    public FusionClient withOt(org.fusionmpc.ot.OtExtension extension) {
        FusionClient c = copy();
        c.ot = extension;
        return c;
    }

    /**
     * The same client splitting its OT extensions and comparison batches on {@code count} threads (see
     * {@code InferenceClient#withThreads}); the wire, and so the server's view, does not change.
     */
    public FusionClient withThreads(int count) {
        org.fusionmpc.semihonest.InferenceClient.checkThreads(count);
        FusionClient c = copy();
        c.threads = count;
        return c;
    }

    /**
     * The same client with ℓ for the inference's shares (see {@code InferenceClient#withRingBits}; 0, the default,
     * is the linear engine's own). Checked against the engine when a session starts, as the engine may still change.
     */
    public FusionClient withRingBits(int bits) {
        if (bits != 0 && (bits < 32 || bits > 64)) {
            throw new IllegalArgumentException("ℓ must be 32..64 bits (32..41 for the he engine, 64 for ot), got " + bits);
        }
        FusionClient c = copy();
        c.ringBits = bits;
        return c;
    }

    /**
     * The same client refusing any server that claims less than {@code floor} ({@value FusionTargets#DEFAULT_MIN_ACCURACY}
     * by default), before anything is computed: the accuracy check tests the server against its own claim, so only a
     * floor stops a poor model that claims what it has.
     */
    public FusionClient withMinAccuracy(double floor) {
        if (!(floor >= 0 && floor <= 1)) {
            throw new IllegalArgumentException("the floor on the claimed accuracy must be in [0, 1], got " + floor);
        }
        FusionClient c = copy();
        c.minAccuracy = floor;
        return c;
    }

    public double minAccuracy() {
        return minAccuracy;
    }

    /**
     * The same client putting at most {@code cap} slots into a session ({@value FusionTargets#DEFAULT_MAX_SLOTS} by
     * default) and at most {@code maxValues} values in one share vector of the batch (see
     * {@code InferenceClient#withMaxValues}): whatever the server claims or declares, the session is refused before
     * it grows past them.
     */
    public FusionClient withCaps(int cap, long maxValues) {
        if (cap < 1 || maxValues < 1) {
            throw new IllegalArgumentException("caps must be positive, got " + cap + " slots and " + maxValues + " values");
        }
        FusionClient c = copy();
        c.maxSlots = cap;
        c.maxValues = maxValues;
        return c;
    }

    public int maxSlots() {
        return maxSlots;
    }

    /**
     * The same client randomising every input of a session alike, label-preservingly: each pixel moves by a uniform
     * number of 1/255 steps in [-levels, levels] (clamped to [0, 1]), drawn afresh per session, one draw per query
     * (its replicas stay identical) and per check sample. Against a server whose model recognises the known check set
     * exactly, the check samples are then no longer the images it memorised; a model tolerant to that much noise still
     * recognises them, so this is the fallback for a client with only a public check set, not a substitute for check
     * samples of its own. The private answers are for the randomised queries. 0 (off) by default; at most 32.
     */
    public FusionClient withInputNoise(int levels) {
        if (levels < 0 || levels > 32) {
            throw new IllegalArgumentException("input noise must be 0..32 grid steps, got " + levels);
        }
        FusionClient c = copy();
        c.inputNoise = levels;
        return c;
    }

    /**
     * Test-only and insecure: the layout drawn from a constant seed instead of SecureRandom, i.e. a client with a broken
     * random source, which a layout-aware server can then predict. It exists so that the test of the layout's
     * randomness can show it would notice.
     */
    FusionClient insecureLayoutSeed(byte[] seed) {
        FusionClient c = copy();
        c.insecureLayoutSeed = seed.clone();
        return c;
    }

    /**
     * The same client padding every session's N with extra check samples up to a multiple of {@code bucket} (1, off,
     * by default; e.g. 64): the server sees N, and an unpadded N = qR + B tells it how many private queries the session
     * holds. The extra checks only add to what the client verifies; the parameters are recomputed for them.
     */
    public FusionClient withSlotBucket(int bucket) {
        if (bucket < 1 || bucket > 4096) {
            throw new IllegalArgumentException("the slot bucket must be 1..4096, got " + bucket);
        }
        FusionClient c = copy();
        c.slotBucket = bucket;
        return c;
    }

    public int inputNoise() {
        return inputNoise;
    }

    /** The same client checking the server on another labelled set (which then fixes the queries' shape and grid). */
    public FusionClient withPublicSet(LabelledSet set) {
        return copy(set, checkedOnGrid(set));
    }

    /** The labelled set this client checks the server on. */
    public LabelledSet publicSet() {
        return publicSet;
    }

    private FusionClient copy() {
        return copy(publicSet, checkImages);
    }

    private FusionClient copy(LabelledSet set, double[][] checks) {
        FusionClient c = new FusionClient(set, checks, escape, shortfall, falseAlarm, miss, honestFlip);
        c.ledger = ledger;
        c.ledgerKey = ledgerKey;
        c.sessionMiss = sessionMiss;
        c.linear = linear;
        c.comparison = comparison;
        c.otK = otK;
        c.ot = ot;
        c.threads = threads;
        c.ringBits = ringBits;
        c.minAccuracy = minAccuracy;
        c.maxSlots = maxSlots;
        c.maxValues = maxValues;
        c.inputNoise = inputNoise;
        c.insecureLayoutSeed = insecureLayoutSeed;
        c.slotBucket = slotBucket;
        return c;
    }

    /** Runs one session: handshake, the server's claim, parameters, the mixed batch, the checks. */
    public FusionReport verify(Channel channel, double[][] queries, Consumer<String> progress) {
        if (queries.length == 0) {
            throw new IllegalArgumentException("no private queries");
        }
        // Every query on the check samples' grid, and refused if out of range, before anything is sent.
        double[][] gridded = new double[queries.length][];
        for (int i = 0; i < queries.length; i++) {
            if (queries[i] == null || queries[i].length != publicSet.sampleSize()) {
                throw new IllegalArgumentException("query " + i + " has " + (queries[i] == null ? "no" : queries[i].length)
                        + " values, but the check set's samples (" + publicSet + ") have " + publicSet.sampleSize()
                        + "; queries and check samples must be one shape; nothing was sent");
            }
            gridded[i] = publicSet.grid().onGrid(queries[i], "query " + i);
        }
        long start = System.nanoTime();
        long sent0 = channel.stats().bytesSent();
        long received0 = channel.stats().bytesReceived();
        Session.open(channel, Role.CLIENT, FusionProvider.ID);
        long[] claim = new long[1];
        channel.receive(claim, 0, 1);
        double claimed = Double.longBitsToDouble(claim[0]);
        String model = printable(new String(channel.receiveBytes(256), java.nio.charset.StandardCharsets.UTF_8));
        progress.accept(String.format(java.util.Locale.ROOT, "fusion: server model %s claims %.2f%% accuracy (floor %.2f%%)", model,
                100 * claimed, 100 * minAccuracy));
        if (!(claimed > shortfall && claimed <= 1)) {
            throw new PolicyRefusal("the server claims an accuracy of " + claimed + ", which cannot be checked (the shortfall to detect is "
                    + shortfall + "); nothing was computed");
        }
        if (claimed < minAccuracy) {
            throw new PolicyRefusal(String.format(java.util.Locale.ROOT, "the server claims %.2f%% accuracy, below this client's floor of "
                    + "%.2f%% (withMinAccuracy, --min-accuracy); nothing was computed", 100 * claimed, 100 * minAccuracy));
        }
        // With a ledger the false-alarm budget is split between the per-session check and the ledger's test.
        double sessionAlarm = ledger == null ? falseAlarm : falseAlarm / 2;
        FusionTargets targets = new FusionTargets(queries.length, escape, claimed, shortfall, sessionAlarm,
                ledger == null ? miss : sessionMiss, honestFlip(linear, comparison, honestFlip));
        FusionParams p;
        try {
            p = FusionOptimizer.choose(targets, maxSlots);
            if (slotBucket > 1) {
                p = FusionOptimizer.padTo(p, slotBucket, maxSlots);
            }
        } catch (IllegalArgumentException e) {
            throw new PolicyRefusal("at the server's claim of " + claimed + " these targets need more than this client's cap of "
                    + maxSlots + " slots (withCaps, --max-slots); nothing was computed", e);
        }
        if (p.publicSlots() > publicSet.size()) {
            throw new PolicyRefusal("the session needs " + p.publicSlots() + " check samples but the client holds " + publicSet.size()
                    + "; nothing was computed. Give the client a larger check set (on the command line: --public-set mnist-test, the"
                    + " 10,000 MNIST test images, fetched once with npm; or your own, --public-set DIR) or looser targets"
                    + " (--shortfall, --miss, --false-alarm)");
        }
        progress.accept("fusion: " + p);
        Prg prg = insecureLayoutSeed == null ? Prg.fromSecureRandom() : new Prg(insecureLayoutSeed.clone());
        SlotLayout layout = SlotLayout.draw(p.queries(), p.replicas(), p.publicSlots(), publicSet.size(), prg::nextInt);
        double[][] checks = checkImages;
        if (inputNoise > 0) {
            checks = new double[checkImages.length][];
            for (int j = 0; j < layout.publicCount(); j++) {
                int k = layout.publicSample(j);
                checks[k] = publicSet.grid().perturb(checkImages[k], inputNoise, prg::nextInt);
            }
            for (int i = 0; i < gridded.length; i++) {
                gridded[i] = publicSet.grid().perturb(gridded[i], inputNoise, prg::nextInt);
            }
        }
        double[][] slots = layout.arrange(gridded, checks);
        InferenceResult r = Backend.labelClient(linear, comparison, otK, threads, ringBits).withOt(ot).withMaxValues(maxValues)
                .withExpectedModel(publicSet.shape(), publicSet.classes()).classify(channel, slots, progress);
        int[] truth = new int[layout.publicCount()];
        for (int j = 0; j < truth.length; j++) {
            truth[j] = publicSet.label(layout.publicSample(j));
        }
        FusionReport report = FusionChecks.check(p, layout, r.labels(), truth, System.nanoTime() - start,
                channel.stats().bytesSent() - sent0, channel.stats().bytesReceived() - received0, model);
        return ledger == null ? report : FusionChecks.withLedger(report, ledger, ledgerKey, falseAlarm / 2);
    }

    /**
     * The honest replica-disagreement rate to budget for on these engines. The RLWE products are exact mod 2^ℓ and the
     * garbled circuits truncate exactly, so on {@code he} with {@code gc} one input always gives one answer and no
     * false-alarm budget goes to disagreement: q is then not limited by q·R·δ (with δ = 10^-5, q·R ≤ 100 at the
     * default false-alarm rate). The OT engines truncate probabilistically, so they keep the measured δ.
     */
    static double honestFlip(LinearMode linear, ComparisonMode comparison, double measured) {
        return linear == LinearMode.HE && comparison == ComparisonMode.GC ? 0 : measured;
    }

    /** The server's model name as the client prints and reports it: control characters replaced, so it cannot forge lines. */
    static String printable(String name) {
        StringBuilder b = new StringBuilder(name.length());
        name.codePoints().forEach(c -> b.appendCodePoint(Character.isISOControl(c) || c == 0x2028 || c == 0x2029 ? '?' : c));
        return b.toString();
    }

    /** The protocol id both parties' handshakes carry. */
    public static ProtocolId protocol() {
        return FusionProvider.ID;
    }
}
