package org.fusionmpc.semihonest;

import java.util.function.Consumer;
import org.fusionmpc.api.channel.Channel;
import org.fusionmpc.api.session.Role;
import org.fusionmpc.api.session.Session;
import org.fusionmpc.ot.SoftSpokenOtSender;

/** The client of semi-honest secure inference: sends nothing but OT and garbling traffic, learns labels or logits. */
public final class InferenceClient {

    private final OutputMode mode;
    private final LinearMode linear;
    private final ComparisonMode comparison;
    private int otK = SoftSpokenOtSender.DEFAULT_K;
    private int threads = 1;

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
    }

    /**
     * SoftSpokenOT's k for this session's OT extensions (1, 2, 4 or 8): 128/k bits per OT on the wire for about
     * 2^k/k AES blocks of work per OT. The default, {@value SoftSpokenOtSender#DEFAULT_K}, is the fastest on two
     * cores; 8 cuts the OT-based comparisons' bytes by about two fifths for twice the time.
     */
    public InferenceClient withOtK(int k) {
        SoftSpokenOtSender.checkK(k);
        this.otK = k;
        return this;
    }

    public int otK() {
        return otK;
    }

    /**
     * Threads for this side's OT extension (leaf expansion split by blocks; the wire and the results do not
     * depend on it). One by default: the client is often on the same cores as its other work.
     */
    public InferenceClient withThreads(int count) {
        if (count < 1 || count > 8) {
            throw new IllegalArgumentException("threads must be 1..8, got " + count);
        }
        this.threads = count;
        return this;
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
        return SecureRunner.classify(channel, inputs, mode, linear, comparison, otK, threads, progress);
    }

    public InferenceResult classify(Channel channel, double[][] inputs) {
        return classify(channel, inputs, s -> { });
    }
}
