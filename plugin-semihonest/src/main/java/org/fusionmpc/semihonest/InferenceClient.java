package org.fusionmpc.semihonest;

import java.util.function.Consumer;
import org.fusionmpc.api.channel.Channel;
import org.fusionmpc.api.session.Role;
import org.fusionmpc.api.session.Session;
import org.fusionmpc.ot.OtExtension;
import org.fusionmpc.ot.SoftSpokenOtSender;

/**
 * The client of semi-honest secure inference: sends nothing but OT and garbling traffic, learns labels or logits. Its
 * settings are values: each {@code with*} returns a changed copy and leaves this client as it was.
 */
public final class InferenceClient {

    private final OutputMode mode;
    private final LinearMode linear;
    private final ComparisonMode comparison;
    private int otK = AUTO_OT_K;
    private OtExtension ot; // null: automatic, by the session's size
    private int threads = 1;
    private int ringBits;
    private long maxValues = defaultMaxValues();
    private boolean batchPacking = true;
    private int[] expectedShape; // null: any
    private int expectedClasses;

    /** A copy with every setting of this one: the with* methods change the copy, so a client is a value. */
    private InferenceClient copy() {
        InferenceClient c = new InferenceClient(mode, linear, comparison);
        c.otK = otK;
        c.ot = ot;
        c.threads = threads;
        c.ringBits = ringBits;
        c.maxValues = maxValues;
        c.batchPacking = batchPacking;
        c.expectedShape = expectedShape;
        c.expectedClasses = expectedClasses;
        return c;
    }

    /** A client with the default linear engine ({@link LinearMode#DEFAULT}). */
    public InferenceClient(OutputMode mode) {
        this(mode, LinearMode.DEFAULT);
    }

    public InferenceClient(OutputMode mode, LinearMode linear) {
        this(mode, linear, ComparisonMode.DEFAULT);
    }

    public InferenceClient(OutputMode mode, LinearMode linear, ComparisonMode comparison) {
        this.mode = java.util.Objects.requireNonNull(mode, "mode");
        this.linear = java.util.Objects.requireNonNull(linear, "linear");
        this.comparison = java.util.Objects.requireNonNull(comparison, "comparison");
        this.ringBits = linear.ringBits();
    }

    /**
     * ℓ for this session's shares, which sets how many bits every share, OT message and ciphertext-derived share
     * takes on the wire: 32..41 for the {@code he} engine (37 by default; a narrower ring is cheaper but leaves
     * fixed point less headroom, a wider one more), 64 for {@code ot}; 0 is the engine's default.
     */
    public InferenceClient withRingBits(int bits) {
        InferenceClient c = copy();
        c.ringBits = linear.ringBits(bits);
        return c;
    }

    /** ℓ of this client's sessions. */
    public int ringBits() {
        return ringBits;
    }

    /** {@link #withOtK}'s "choose by the network": k = 8 from {@value #LARGE_NETWORK_RELUS} ReLUs on, else 4. */
    public static final int AUTO_OT_K = 0;

    /**
     * Networks with at least this many ReLUs get k = 8 by default: there the comparisons' bytes (about two fifths
     * fewer) matter more than their AES work (about twice as much); ResNet-50 then fits in 3.4 GB instead of 4.7.
     */
    public static final int LARGE_NETWORK_RELUS = 1 << 20;

    /**
     * SoftSpokenOT's k for this session's OT extensions (1, 2, 4 or 8, or {@link #AUTO_OT_K}, the default): 128/k
     * bits per OT on the wire for about 2^k/k AES blocks of work per OT.
     */
    public InferenceClient withOtK(int k) {
        InferenceClient c = copy();
        checkOtK(k);
        c.otK = k;
        return c;
    }

    /** "auto" or a number, as the command line and the provider option spell k; checked. */
    public static int parseOtK(String value) {
        String v = value.strip();
        if (v.equalsIgnoreCase("auto")) {
            return AUTO_OT_K;
        }
        try {
            int k = Integer.parseInt(v);
            checkOtK(k);
            return k;
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("SoftSpokenOT's k must be auto, 1, 2, 4 or 8, got '" + value + "'", e);
        }
    }

    /** Refuses a k that is neither {@link #AUTO_OT_K} nor one SoftSpokenOT takes. */
    public static void checkOtK(int k) {
        if (k != AUTO_OT_K) {
            SoftSpokenOtSender.checkK(k);
        }
    }

    /** The k a session on {@code net} uses for the requested one: automatic resolves by the network's size. */
    public static int resolveOtK(int k, Network net) {
        if (k != AUTO_OT_K) {
            return k;
        }
        return net.reluCount() >= LARGE_NETWORK_RELUS ? 8 : SoftSpokenOtSender.DEFAULT_K;
    }

    public int threads() {
        return threads;
    }

    public int otK() {
        return otK;
    }

    /**
     * ReLUs (batch × the network's) from which the automatic choice takes the silent OT extension: its setup of about
     * 1.2 MB per instance is then paid back by its 1.45 bits per OT against SoftSpokenOT's 32.
     */
    public static final long SILENT_OT_FROM_RELUS = 1 << 14;

    /**
     * The same client on the given OT extension for every OT of the session (comparisons, multiplexers, products,
     * garbled-circuit input labels); {@code null} chooses by the session's size: {@link OtExtension#SILENT} from
     * {@value #SILENT_OT_FROM_RELUS} ReLUs in the batch, {@link OtExtension#SOFTSPOKEN} below, whichever sends fewer bytes.
     */
    public InferenceClient withOt(OtExtension extension) {
        InferenceClient c = copy();
        c.ot = extension;
        return c;
    }

    /** The requested OT extension, {@code null} for automatic. */
    public OtExtension ot() {
        return ot;
    }

    /** "auto", "silent" or "softspoken"; auto is {@code null}. */
    public static OtExtension parseOt(String value) {
        return value.strip().equalsIgnoreCase("auto") ? null : OtExtension.parse(value);
    }

    /** The extension a session of {@code batch} inputs on {@code net} runs for the requested one. */
    public static OtExtension resolveOt(OtExtension requested, Network net, int batch) {
        if (requested != null) {
            return requested;
        }
        return (long) net.reluCount() * batch >= SILENT_OT_FROM_RELUS ? OtExtension.SILENT : OtExtension.SOFTSPOKEN;
    }

    /**
     * Threads for this side's OT extensions (leaf expansion, transposes and hashes split) and for the
     * comparison engine's batches (digit messages and 1-out-of-N keys split); the wire and the results do not
     * depend on it. One by default: the client is often on the same cores as its other work.
     */
    public InferenceClient withThreads(int count) {
        InferenceClient c = copy();
        checkThreads(count);
        c.threads = count;
        return c;
    }

    /** Refuses a thread count outside 1..{@value SoftSpokenOtSender#MAX_THREADS} with a clear message. */
    public static void checkThreads(int count) {
        if (count < 1 || count > SoftSpokenOtSender.MAX_THREADS) {
            throw new IllegalArgumentException("threads must be 1.." + SoftSpokenOtSender.MAX_THREADS + ", got " + count);
        }
    }

    /**
     * The cap on batch × the largest layer's values per input (the longest share vector a session holds), checked
     * against the server's architecture before anything is allocated for the batch; a larger one is refused with a
     * clear error. By default one 256th of the heap in values (8 bytes each, so 1/32 of the heap per share vector:
     * the pipeline holds a few of them and the engines' buffers besides). Returns a changed copy.
     */
    public InferenceClient withMaxValues(long cap) {
        InferenceClient c = copy();
        if (cap < 1) {
            throw new IllegalArgumentException("the cap on values must be positive, got " + cap);
        }
        c.maxValues = cap;
        return c;
    }

    public long maxValues() {
        return maxValues;
    }

    /**
     * Whether a batch's elements may share the RLWE engine's polynomials and one key (on by default: this is the
     * semi-honest protocol, where the server follows it). Off for any protocol built on this one whose server may
     * deviate: a shared key would let such a server combine the elements. Fusion turns it off. Returns a changed copy.
     */
    public InferenceClient withBatchPacking(boolean on) {
        InferenceClient c = copy();
        c.batchPacking = on;
        return c;
    }

    public boolean batchPacking() {
        return batchPacking;
    }

    /**
     * Refuse, before anything is computed, a server whose model does not take inputs of {@code inputShape} (leading 1s
     * aside) or has fewer than {@code classes} outputs (0: any): a client that knows what its inputs are then never has
     * them read as another shape of the same size (channels-last as channels-first, say). Returns a changed copy.
     */
    public InferenceClient withExpectedModel(int[] inputShape, int classes) {
        InferenceClient c = copy();
        c.expectedShape = inputShape == null ? null : inputShape.clone();
        c.expectedClasses = Math.max(0, classes);
        return c;
    }

    /** The default of {@link #withMaxValues}: the JVM's maximum heap over 256. */
    public static long defaultMaxValues() {
        return Runtime.getRuntime().maxMemory() / 256;
    }

    public ComparisonMode comparison() {
        return comparison;
    }

    public OutputMode mode() {
        return mode;
    }

    public LinearMode linear() {
        return linear;
    }

    /** One session over a batch of inputs (each the model's input shape, flattened row-major). */
    public InferenceResult classify(Channel channel, double[][] inputs, Consumer<String> progress) {
        if (inputs.length == 0) {
            throw new IllegalArgumentException("no inputs to classify");
        }
        Session.open(channel, Role.CLIENT, SemiHonestProvider.ID);
        return SecureRunner.classify(channel, inputs, mode, linear, comparison, otK, ot, ringBits(), threads, maxValues, batchPacking,
                expectedShape, expectedClasses, progress);
    }

    public InferenceResult classify(Channel channel, double[][] inputs) {
        return classify(channel, inputs, s -> { });
    }
}
