package org.fusionmpc.samples.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;
import org.fusionmpc.api.testing.TwoParties;
import org.fusionmpc.api.channel.Channel;
import org.fusionmpc.fusion.FusionClient;
import org.fusionmpc.fusion.FusionReport;
import org.fusionmpc.fusion.FusionServer;
import org.fusionmpc.ring.FixedPoint;
import org.fusionmpc.semihonest.ComparisonMode;
import org.fusionmpc.semihonest.InferenceClient;
import org.fusionmpc.semihonest.LinearMode;
import org.fusionmpc.semihonest.InferenceResult;
import org.fusionmpc.semihonest.InferenceServer;
import org.fusionmpc.semihonest.Network;
import org.fusionmpc.semihonest.OutputMode;

/**
 * Fusion's cost per private query for q in {1, 4, 16}: wall time and bytes of one Fusion session divided by
 * q, beside one semi-honest inference measured in the same run; {@code expected} = R + B/q (the slots per
 * query) so {@code overhead} = ratio / expected shows what mixing, shuffling and checking add.
 * {@code ok} = ACCEPT from the honest server and labels equal to ONNX Runtime's.
 */
public final class FusionBench {

    private org.fusionmpc.api.channel.ShapedLink.Spec wan;

    /** Runs every session over a link shaped as {@code spec} (null: unshaped). */
    public FusionBench withWan(org.fusionmpc.api.channel.ShapedLink.Spec spec) {
        this.wan = spec;
        return this;
    }

    private int otK = InferenceClient.AUTO_OT_K;
    private org.fusionmpc.ot.OtExtension ot; // null: automatic
    private int ringBits;

    /** ℓ of the sessions' shares (0: the linear engine's default). */
    public FusionBench withRingBits(int bits) {
        this.ringBits = bits;
        return this;
    }

    private BenchLink.Shaping shaping = BenchLink.Shaping.AUTO;

    /** How a {@link #withWan} link is shaped: {@code auto} (the default), {@code kernel} or {@code in-process}. */
    public FusionBench withShaping(String mode) {
        this.shaping = BenchLink.Shaping.parse(mode);
        return this;
    }

    /** The OT extension of the Fusion sessions and the semi-honest baseline alike; {@code null}: automatic for each. */
    public FusionBench withOt(org.fusionmpc.ot.OtExtension extension) {
        this.ot = extension;
        return this;
    }

    /** SoftSpokenOT's k for the Fusion sessions and the semi-honest baseline alike. */
    public FusionBench withOtK(int k) {
        InferenceClient.checkOtK(k);
        this.otK = k;
        return this;
    }

    private final Network net;
    private final byte[] model;
    private final double claimed;
    private final FusionClient client;
    private final LinearMode linear;
    private final ComparisonMode comparison;
    private final double[][] queries;
    private final long[] shape;
    private final int[] qs;
    private String publicSetNote;
    private final boolean tcp;
    private final Consumer<String> progress;

    /**
     * @param queries the private queries' pool (the first q of it are a session's), each of the model's input shape
     * @param shape the model's input shape with its batch axis, for ONNX Runtime
     */
    public FusionBench(Network net, byte[] model, double claimed, FusionClient client, double[][] queries, long[] shape, int[] qs, boolean tcp,
                       LinearMode linear, ComparisonMode comparison, Consumer<String> progress) {
        this.shape = shape.clone();
        this.linear = linear;
        this.comparison = comparison;
        this.net = net;
        this.model = model;
        this.claimed = claimed;
        this.client = client.withLinear(linear).withComparison(comparison);
        this.publicSetNote = client.publicSet().toString();
        this.queries = queries;
        this.qs = qs;
        this.tcp = tcp;
        this.progress = progress;
    }

    /**
     * Fusion on a reference network ({@code minionn-cifar10}) with random weights: a COST benchmark. The public set is
     * {@code publicCount} random inputs on the 8-bit grid labelled by the network's own plaintext forward pass, so the
     * honest server is right on (nearly) all of them whatever its weights; its claim is {@code claimed}. The queries are
     * further random inputs.
     */
    public static FusionBench network(String name, int publicCount, double claimed,
                                      java.util.function.Function<org.fusionmpc.fusion.LabelledSet, FusionClient> client, int[] qs, boolean tcp,
                                      LinearMode linear, ComparisonMode comparison, Consumer<String> progress) {
        progress.accept("generating or loading " + name);
        byte[] bytes = org.fusionmpc.semihonest.ReferenceNetworks.onnx(name, org.fusionmpc.semihonest.ReferenceNetworks.DEFAULT_SEED);
        Network net = org.fusionmpc.semihonest.OnnxImporter.load(bytes, name);
        long[] shape = org.fusionmpc.semihonest.ReferenceNetworks.inputShape(name);
        int maxQ = Arrays.stream(qs).max().orElse(1);
        double[][] x = org.fusionmpc.semihonest.ReferenceNetworks.randomInputs(name, publicCount + maxQ, 11);
        for (double[] row : x) {
            for (int i = 0; i < row.length; i++) {
                row[i] = Math.floor(row[i] * 256) / 255; // the 8-bit grid, as images are
            }
        }
        progress.accept("labelling " + publicCount + " public samples with the plaintext model");
        double[][] pub = Arrays.copyOf(x, publicCount);
        int[] labels = new int[publicCount];
        for (int i = 0; i < publicCount; i++) {
            labels[i] = OrtReference.argmax(net.forward(pub[i]));
        }
        int[] chw = Arrays.stream(shape).skip(1).mapToInt(v -> (int) v).toArray();
        org.fusionmpc.fusion.LabelledSet set = org.fusionmpc.fusion.LabelledSet.of(name + " random inputs labelled by its own plaintext model",
                chw, pub, labels);
        FusionBench b = new FusionBench(net, bytes, claimed, client.apply(set), Arrays.copyOfRange(x, publicCount, x.length), shape,
                qs, tcp, linear, comparison, progress);
        b.publicSetNote = "cost benchmark: " + publicCount + " random inputs labelled by the model itself";
        return b;
    }

    public List<JsonLine> run() throws Exception {
        List<JsonLine> lines = new ArrayList<>();
        InferenceServer backend = new InferenceServer(net, FixedPoint.defaults(), 8192, false);
        progress.accept("baseline: one semi-honest inference");
        double baseMs = Double.MAX_VALUE;
        long baseBytes = 0;
        String threads = Integer.toString(org.fusionmpc.he.HeLinearEngine.DEFAULT_THREADS);
        try (BenchLink.Server base = BenchLink.Server.start(tcp, wan, shaping, backend::serve, model, 3,
                List.of("--protocol", "semi-honest", "--threads", threads, "--max-batch", "8192"))) {
            for (int r = 0; r < 3; r++) {
                double[] image = queries[r % queries.length];
                InferenceResult res = base.session(c -> new InferenceClient(OutputMode.LABEL, linear, comparison).withOtK(otK).withOt(ot).withRingBits(ringBits)
                        .classify(c, new double[][] {image}));
                baseMs = Math.min(baseMs, res.nanos() / 1e6);
                baseBytes = res.bytesSent() + res.bytesReceived();
            }
        }
        FusionServer fusion = new FusionServer(backend, claimed);
        try (OrtReference ort = new OrtReference(model);
             BenchLink.Server server = BenchLink.Server.start(tcp, wan, shaping, fusion::serve, model, qs.length,
                     List.of("--protocol", "fusion", "--claimed-accuracy", Double.toString(claimed), "--threads", threads,
                             "--max-batch", "8192"))) {
            for (int q : qs) {
                if (q > queries.length) {
                    throw new IllegalArgumentException("q = " + q + " needs " + q + " queries, the pool holds " + queries.length);
                }
                double[][] x = Arrays.copyOf(queries, q);
                FusionReport r = server.session(c -> client.withOtK(otK).withOt(ot).withRingBits(ringBits).verify(c, x, step -> progress.accept("q=" + q + " " + step)));
                boolean ok = r.accepted();
                for (int i = 0; i < q && ok; i++) {
                    ok = InferBench.tie(ort.logits(x[i], shape), r.labels()[i]);
                }
                double expected = (double) r.params().slots() / q;
                double perQueryMs = r.nanos() / 1e6 / q;
                double perQueryBytes = (double) (r.bytesSent() + r.bytesReceived()) / q;
                lines.add(new JsonLine("fusion-cost-per-query", "ms", perQueryMs).baseline("semi-honest-inference", baseMs).put("linear", linear.id()).put("comparison", comparison.id())
                        .put("ot", InferenceClient.resolveOt(ot, net, r.params().slots()).id()).put("baseline_ot", InferenceClient.resolveOt(ot, net, 1).id())
                        .put("n", q).put("q", q).put("replicas", r.params().replicas()).put("public_slots", r.params().publicSlots())
                        .put("slots", r.params().slots()).put("expected", expected).put("overhead", perQueryMs / baseMs / expected)
                        .put("bytes_sent", r.bytesSent()).put("bytes_received", r.bytesReceived()).put("verdict", r.verdict().name())
                        .put("public_correct", r.publicCorrect()).put("failures", String.join("; ", r.failures()))
                        .put("model", net.name()).put("public_set", publicSetNote).put("transport", server.transport()).put("shaping", server.shaping()).put("ok", ok));
                lines.add(new JsonLine("fusion-bytes-per-query", "bytes", perQueryBytes).baseline("semi-honest-inference", baseBytes).put("linear", linear.id()).put("comparison", comparison.id())
                        .put("ot", InferenceClient.resolveOt(ot, net, r.params().slots()).id()).put("baseline_ot", InferenceClient.resolveOt(ot, net, 1).id())
                        .put("n", q).put("q", q).put("expected", expected).put("overhead", perQueryBytes / baseBytes / expected).put("ok", ok));
            }
        }
        return lines;
    }
}
