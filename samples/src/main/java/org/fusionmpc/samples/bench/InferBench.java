package org.fusionmpc.samples.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.fusionmpc.api.channel.Channel;
import org.fusionmpc.api.testing.TwoParties;
import org.fusionmpc.ring.FixedPoint;
import org.fusionmpc.semihonest.ComparisonMode;
import org.fusionmpc.semihonest.InferenceClient;
import org.fusionmpc.semihonest.InferenceResult;
import org.fusionmpc.semihonest.InferenceServer;
import org.fusionmpc.semihonest.LinearMode;
import org.fusionmpc.semihonest.Mnist;
import org.fusionmpc.semihonest.Network;
import org.fusionmpc.semihonest.OutputMode;
import org.fusionmpc.semihonest.PhaseStats;
import org.fusionmpc.semihonest.ReferenceNetworks;

/**
 * Semi-honest secure inference, one session per input: wall time per inference split into phases, traffic,
 * rounds and the peak heap of the run (both parties share this JVM), beside ONNX Runtime's plaintext
 * inference of the same input in the same run. On MNIST models (labels out) {@code ok} means the secure label
 * equals ONNX Runtime's, or ties with it within the fixed-point error ({@link #tie}; the agreement line counts
 * ties); on a reference network with random weights and random inputs (logits out, where
 * labels of random models are often near ties) it means every logit is within {@link #LOGIT_TOLERANCE}
 * of ONNX Runtime's. A last line, {@code infer-agreement}, gives the share of inputs that were ok.
 */
public final class InferBench {

    private org.fusionmpc.api.channel.ShapedLink.Spec wan;

    private int threads = org.fusionmpc.he.HeLinearEngine.DEFAULT_THREADS;
    private int otK = InferenceClient.AUTO_OT_K;
    private org.fusionmpc.ot.OtExtension ot; // null: automatic
    private int ringBits;

    /** ℓ of the sessions' shares (0: the linear engine's default). */
    public InferBench withRingBits(int bits) {
        this.ringBits = bits;
        return this;
    }

    /** The sessions' OT extension; {@code null} chooses by the session's size. */
    public InferBench withOt(org.fusionmpc.ot.OtExtension extension) {
        this.ot = extension;
        return this;
    }

    /** SoftSpokenOT's k for the sessions' OT extensions. */
    public InferBench withOtK(int k) {
        InferenceClient.checkOtK(k);
        this.otK = k;
        return this;
    }

    private org.fusionmpc.semihonest.PrepareWeights prepare = org.fusionmpc.semihonest.PrepareWeights.AUTO;

    /** Whether the server prepares its RLWE weights once before the sessions (default auto: when they fit). */
    public InferBench withPrepareWeights(org.fusionmpc.semihonest.PrepareWeights mode) {
        this.prepare = java.util.Objects.requireNonNull(mode, "mode");
        return this;
    }

    private int batch = 1;
    /** Labels that differ from ONNX Runtime's only by a tie within fixed point's reach, in this run. */
    private int ties;

    /**
     * Sessions of {@code size} inputs instead of one each (semi-honest batch packing where layers leave room): each
     * line is one session, per input, beside a one-input session of the same run (bytes per input as the ratio).
     */
    public InferBench withBatch(int size) {
        if (size < 1 || size > 4096) {
            throw new IllegalArgumentException("--batch must be 1..4096, got " + size);
        }
        this.batch = size;
        return this;
    }

    /** The server's threads for RLWE products. */
    public InferBench withThreads(int count) {
        this.threads = count;
        return this;
    }

    /** Runs every session over a link shaped as {@code spec} (null: unshaped). */
    public InferBench withWan(org.fusionmpc.api.channel.ShapedLink.Spec spec) {
        this.wan = spec;
        return this;
    }

    private BenchLink.Shaping shaping = BenchLink.Shaping.AUTO;

    /** How a {@link #withWan} link is shaped: {@code auto} (the default), {@code kernel} or {@code in-process}. */
    public InferBench withShaping(String mode) {
        this.shaping = BenchLink.Shaping.parse(mode);
        return this;
    }

    /** Fixed point with f = 12 loses a few thousandths per layer; absolute, plus this share of the largest logit. */
    static final double LOGIT_TOLERANCE = 0.02;

    private final Network net;
    private final byte[] model;
    private final double[][] inputs;
    private final int[] truth;
    private final long[] shape;
    private final boolean logits;
    private final boolean tcp;
    private final LinearMode linear;
    private final ComparisonMode comparison;
    private final Consumer<String> progress;

    private InferBench(Network net, byte[] model, double[][] inputs, int[] truth, long[] shape, boolean logits, boolean tcp,
                       LinearMode linear, ComparisonMode comparison, Consumer<String> progress) {
        this.comparison = comparison;
        this.net = net;
        this.model = model;
        this.inputs = inputs;
        this.truth = truth;
        this.shape = shape;
        this.logits = logits;
        this.tcp = tcp;
        this.linear = linear;
        this.progress = progress;
    }

    /** An MNIST model on MNIST test images: labels checked. */
    public InferBench(Network net, byte[] model, Mnist.Dataset images, boolean tcp, LinearMode linear, ComparisonMode comparison,
                      Consumer<String> progress) {
        this(net, model, images.images(), images.labels(), withBatch(net.inputShape()), false, tcp, linear, comparison, progress);
    }

    /** A reference network ({@link ReferenceNetworks}) on random inputs: logits checked. */
    public static InferBench network(String name, int count, boolean tcp, LinearMode linear, ComparisonMode comparison,
                                     Consumer<String> progress) {
        progress.accept("generating or loading " + name);
        byte[] bytes = ReferenceNetworks.onnx(name, ReferenceNetworks.DEFAULT_SEED);
        Network net = org.fusionmpc.semihonest.OnnxImporter.load(bytes, name);
        return new InferBench(net, bytes, ReferenceNetworks.randomInputs(name, count, 7), null, ReferenceNetworks.inputShape(name),
                true, tcp, linear, comparison, progress);
    }

    public List<JsonLine> run() throws Exception {
        if (batch > 1) {
            return runBatches();
        }
        List<JsonLine> lines = new ArrayList<>();
        InferenceServer backend = new InferenceServer(net, FixedPoint.defaults(), 1, logits).withThreads(threads).withPrepareWeights(prepare);
        long prepareStart = System.nanoTime();
        long preparedBytes = 0;
        if (linear == LinearMode.HE && !BenchLink.kernel(wan, shaping)) {
            progress.accept("preparing the server's RLWE weights (" + prepare.id() + ")");
            String report = backend.prepareWeights();
            preparedBytes = backend.preparedWeightBytes();
            progress.accept(report);
        }
        double prepareMs = (System.nanoTime() - prepareStart) / 1e6;
        OutputMode mode = logits ? OutputMode.LOGITS : OutputMode.LABEL;
        int agree = 0;
        boolean warmUp = inputs.length > 1 || truth != null;
        if (BenchLink.kernel(wan, shaping)) {
            progress.accept("starting the server process across a kernel-shaped link");
        }
        try (OrtReference ort = new OrtReference(model);
             BenchLink.Server server = BenchLink.Server.start(tcp, wan, shaping, backend::serve, model, inputs.length + (warmUp ? 1 : 0),
                     List.of("--protocol", "semi-honest", "--threads", Integer.toString(threads), "--max-batch", "1",
                             "--prepare-weights", prepare.id()))) {
            for (int i = 0; i < 5; i++) {
                ort.logits(inputs[0], shape); // warm-up
            }
            if (warmUp) {
                progress.accept("warm-up session (not reported)");
                session(server, mode, inputs[0], s -> { });
            }
            for (int i = 0; i < inputs.length; i++) {
                double[] x = inputs[i];
                long t0 = System.nanoTime();
                double[] want = ort.logits(x, shape);
                double ortMs = (System.nanoTime() - t0) / 1e6;
                String at = "input " + (i + 1) + "/" + inputs.length + ": ";
                resetPeaks();
                InferenceResult r = session(server, mode, x, step -> progress.accept(at + step));
                long peak = peakHeap();
                int label = r.labels()[0];
                boolean ok;
                double err = 0;
                if (logits) {
                    double scale = 0;
                    for (int k = 0; k < want.length; k++) {
                        err = Math.max(err, Math.abs(want[k] - r.logits()[0][k]));
                        scale = Math.max(scale, Math.abs(want[k]));
                    }
                    ok = err <= LOGIT_TOLERANCE * Math.max(1, scale);
                } else {
                    ok = label == OrtReference.argmax(want) || tie(want, label);
                    ties += label != OrtReference.argmax(want) && ok ? 1 : 0;
                }
                agree += ok ? 1 : 0;
                JsonLine line = new JsonLine("infer-" + net.name(), "ms", r.nanos() / 1e6).baseline("onnxruntime", ortMs)
                        .put("n", 1).put("input", i).put("bytes_sent", r.bytesSent()).put("bytes_received", r.bytesReceived())
                        .put("rounds", r.rounds()).put("peak_heap_bytes", peak);
                for (PhaseStats p : r.phases()) {
                    line.put(p.phase() + "_ms", p.nanos() / 1e6).put(p.phase() + "_bytes", p.bytesSent() + p.bytesReceived());
                }
                if (wan != null) {
                    line.put("wan_mbit", wan.bytesPerSecond() * 8 / 1e6).put("wan_rtt_ms", wan.rttNanos() / 1e6);
                }
                if (server.heldFlushes() >= 0) {
                    line.put("held_flushes", server.heldFlushes());
                }
                line.put("label", label).put("onnxruntime_label", OrtReference.argmax(want));
                if (truth != null) {
                    line.put("true_label", truth[i]);
                }
                if (logits) {
                    line.put("max_logit_error", err);
                }
                lines.add(line.put("transport", server.transport()).put("shaping", server.shaping()).put("threads", threads).put("linear", linear.id()).put("comparison", comparison.id()).put("ot", InferenceClient.resolveOt(ot, net, 1).id()).put("ot_k", InferenceClient.resolveOtK(otK, net)).put("ring_bits", linear.ringBits(ringBits)).put("prepare_weights", prepare.id())
                        .put("prepared_weights_bytes", preparedBytes).put("prepare_ms", prepareMs).put("ok", ok));
            }
        }
        lines.add(new JsonLine("infer-agreement", "fraction", (double) agree / inputs.length).put("n", inputs.length)
                .put("model", net.name()).put("linear", linear.id()).put("comparison", comparison.id()).put("ties", ties)
                .put("ok", agree >= Math.ceil(0.995 * inputs.length)));
        return lines;
    }

    /**
     * A tie within fixed point's reach: the secure label is not ONNX Runtime's argmax, but ONNX Runtime's logit for
     * it is within {@link #LOGIT_TOLERANCE} (times the larger of 1 and the top logit) of the top one, closer than
     * the fixed-point error can separate (3.305 against 3.304, say). Counted as agreeing, and reported as a tie.
     */
    static boolean tie(double[] want, int label) {
        if (label < 0 || label >= want.length) {
            return false;
        }
        double top = want[OrtReference.argmax(want)];
        return top - want[label] <= LOGIT_TOLERANCE * Math.max(1, Math.abs(top));
    }

    /** {@link #withBatch}: a one-input session, then sessions of {@code batch} inputs; labels checked against ONNX Runtime. */
    private List<JsonLine> runBatches() throws Exception {
        List<JsonLine> lines = new ArrayList<>();
        InferenceServer backend = new InferenceServer(net, FixedPoint.defaults(), batch, false).withThreads(threads).withPrepareWeights(prepare);
        if (linear == LinearMode.HE && !BenchLink.kernel(wan, shaping)) {
            progress.accept(backend.prepareWeights());
        }
        int sessions = (inputs.length + batch - 1) / batch;
        int agree = 0;
        try (OrtReference ort = new OrtReference(model);
             BenchLink.Server server = BenchLink.Server.start(tcp, wan, shaping, backend::serve, model, sessions + 2,
                     List.of("--protocol", "semi-honest", "--threads", Integer.toString(threads), "--max-batch", Integer.toString(batch),
                             "--prepare-weights", prepare.id()))) {
            progress.accept("warm-up session (not reported)");
            batchSession(server, new double[][] {inputs[0]}, s -> { });
            progress.accept("one-input session (the baseline)");
            InferenceResult one = batchSession(server, new double[][] {inputs[0]}, s -> { });
            double oneBytes = one.bytesSent() + one.bytesReceived();
            double oneMs = one.nanos() / 1e6;
            for (int first = 0; first < inputs.length; first += batch) {
                double[][] chunk = java.util.Arrays.copyOfRange(inputs, first, Math.min(inputs.length, first + batch));
                String at = "batch " + (first / batch + 1) + "/" + sessions + ": ";
                InferenceResult r = batchSession(server, chunk, step -> progress.accept(at + step));
                int ok = 0;
                for (int i = 0; i < chunk.length; i++) {
                    double[] want = ort.logits(chunk[i], shape);
                    boolean exact = r.labels()[i] == OrtReference.argmax(want);
                    ok += exact || tie(want, r.labels()[i]) ? 1 : 0;
                    ties += !exact && tie(want, r.labels()[i]) ? 1 : 0;
                }
                agree += ok;
                double perInput = (double) (r.bytesSent() + r.bytesReceived()) / chunk.length;
                JsonLine line = new JsonLine("infer-batch-" + net.name(), "bytes/input", perInput).baseline("one-input-session", oneBytes);
                for (int k = 0; k < r.phases().size(); k++) {
                    PhaseStats p = r.phases().get(k);
                    PhaseStats q = one.phases().get(k);
                    line.put(p.phase() + "_bytes_per_input", (double) (p.bytesSent() + p.bytesReceived()) / chunk.length)
                            .put("one_input_" + p.phase() + "_bytes", q.bytesSent() + q.bytesReceived());
                }
                lines.add(line
                        .put("n", chunk.length).put("ms_per_input", r.nanos() / 1e6 / chunk.length).put("one_input_ms", oneMs)
                        .put("bytes_sent", r.bytesSent()).put("bytes_received", r.bytesReceived()).put("rounds", r.rounds())
                        .put("agree", ok).put("transport", server.transport()).put("threads", threads).put("linear", linear.id())
                        .put("comparison", comparison.id()).put("ot", InferenceClient.resolveOt(ot, net, chunk.length).id())
                        .put("batch_packing", linear == LinearMode.HE).put("ok", ok == chunk.length));
            }
        }
        lines.add(new JsonLine("infer-agreement", "fraction", (double) agree / inputs.length).put("n", inputs.length)
                .put("model", net.name()).put("linear", linear.id()).put("comparison", comparison.id()).put("batch", batch).put("ties", ties)
                .put("ok", agree >= Math.ceil(0.995 * inputs.length)));
        return lines;
    }

    private InferenceResult batchSession(BenchLink.Server server, double[][] xs, Consumer<String> steps) throws Exception {
        return server.session(c -> new InferenceClient(OutputMode.LABEL, linear, comparison).withOtK(otK).withOt(ot).withRingBits(ringBits)
                .withThreads(Math.min(threads, org.fusionmpc.ot.SoftSpokenOtSender.MAX_THREADS)).classify(c, xs, steps));
    }

    private InferenceResult session(BenchLink.Server server, OutputMode mode, double[] x, Consumer<String> steps) throws Exception {
        return server.session(c -> new InferenceClient(mode, linear, comparison).withOtK(otK).withOt(ot).withRingBits(ringBits)
                .withThreads(Math.min(threads, org.fusionmpc.ot.SoftSpokenOtSender.MAX_THREADS)).classify(c, new double[][] {x}, steps));
    }

    private static void resetPeaks() {
        System.gc();
        for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
            if (p.getType() == MemoryType.HEAP) {
                p.resetPeakUsage();
            }
        }
    }

    /** Sum of the heap pools' peaks since the reset: an upper bound on the peak heap in use (pools peak at different times). */
    private static long peakHeap() {
        long sum = 0;
        for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
            if (p.getType() == MemoryType.HEAP) {
                sum += p.getPeakUsage().getUsed();
            }
        }
        return sum;
    }

    private static long[] withBatch(int[] s) {
        long[] shape = new long[s.length + 1];
        shape[0] = 1;
        for (int i = 0; i < s.length; i++) {
            shape[i + 1] = s[i];
        }
        return shape;
    }
}
