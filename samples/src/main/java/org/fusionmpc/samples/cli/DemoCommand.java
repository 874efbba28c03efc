package org.fusionmpc.samples.cli;

import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.fusionmpc.api.channel.Channel;
import org.fusionmpc.api.channel.ChannelConfig;
import org.fusionmpc.api.channel.TlsChannel;
import org.fusionmpc.api.channel.TlsListener;
import org.fusionmpc.api.tls.TlsConfig;
import org.fusionmpc.api.tls.TlsIdentity;
import org.fusionmpc.fusion.CheatingStrategy;
import org.fusionmpc.fusion.FusionClient;
import org.fusionmpc.fusion.FusionOptimizer;
import org.fusionmpc.fusion.FusionReport;
import org.fusionmpc.fusion.FusionServer;
import org.fusionmpc.fusion.PolicyRefusal;
import org.fusionmpc.ring.FixedPoint;
import org.fusionmpc.semihonest.InferenceServer;
import org.fusionmpc.semihonest.Network;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The end-to-end Fusion demo: a server thread and a client thread in this process, talking over TLS 1.3 on
 * loopback (the client pins the server's freshly made certificate), run one Fusion session on real MNIST
 * test images with the bundled MiniONN CNN and print labels, verdict, parameters, time and bytes.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Verified secure inference, end to end: a Fusion server and client over loopback TLS on real MNIST images.",
            "Two threads of this process, each with its own TLS endpoint; --simulate-cheating makes the server cheat."})
final class DemoCommand implements Callable<Integer> {

    @Option(names = "--model", defaultValue = "minionn-cnn", description = "Bundled model (minionn-cnn, secureml-mlp, lenet5-bn) or an ONNX file (default: ${DEFAULT-VALUE}).")
    String model;

    @Option(names = "--claimed-accuracy", description = "The server's claim (default: the bundled model's measured test accuracy).")
    Double claimed;

    @Option(names = "--queries", defaultValue = "4", description = "Private queries to classify, taken from the public set (default: ${DEFAULT-VALUE}).")
    int queries;

    @Option(names = "--first-image", defaultValue = "0", description = "Index of the first test image (default: ${DEFAULT-VALUE}).")
    int first;

    @Option(names = "--simulate-cheating", paramLabel = "STRATEGY",
            description = "Make the server cheat: lower-accuracy, random-weights, zeroed-weights, corrupt-outputs[:k], corrupt-relu[:k], constant-error, one-class, cross-slot, low-claim, memorise-public (with --model secureml-mlp).")
    String cheat;

    @Mixin
    EngineOptions engines = new EngineOptions();

    @Option(names = "--report", description = "Also write the verification report (JSON) to this file.")
    Path report;

    // Demo targets: the escape bound stays 2^-20; the accuracy test is looser than the library's defaults so
    // that the demo's single session takes about a minute on two cores.
    @Option(names = "--escape-bits", defaultValue = "20", description = "Corrupted private answers escape with probability at most 2^-BITS (default: ${DEFAULT-VALUE}).")
    int escapeBits;

    @Option(names = "--shortfall", defaultValue = "0.15", description = "Accuracy drop below the claim to detect (default: ${DEFAULT-VALUE}).")
    double shortfall;

    @Option(names = "--false-alarm", defaultValue = "0.01", description = "Largest probability of rejecting an honest server (default: ${DEFAULT-VALUE}).")
    double falseAlarm;

    @Option(names = "--miss", defaultValue = "0.05", description = "Largest probability that a model SHORTFALL below its claim passes (default: ${DEFAULT-VALUE}).")
    double miss;

    @Option(names = "--min-accuracy", defaultValue = "0.9", description = "Refuse a server claiming less accuracy than this (default: ${DEFAULT-VALUE}).")
    double minAccuracy;

    @Option(names = "--max-slots", defaultValue = "2048", description = "Refuse a session needing more slots than this (default: ${DEFAULT-VALUE}).")
    int maxSlots;

    @Option(names = "--input-noise", defaultValue = "0", description = "Randomise every input by up to this many 1/255 steps per pixel (default: ${DEFAULT-VALUE}).")
    int inputNoise;

    @Option(names = "--public-set", defaultValue = "mnist-test-500", description = "The labelled check set, whose first samples are also the demo's queries: mnist-test-500 (bundled), mnist-test (fetched), IMAGES.idx,LABELS.idx, X.npy,Y.npy, SET.npz, or DIR (DIR/labels.csv or DIR/<label>/<image>) (default: ${DEFAULT-VALUE}).")
    String publicSet;

    @Override
    public Integer call() throws Exception {
        PrintStream out = System.out;
        Network net = Models.load(model);
        double claim = claimed != null ? claimed : Models.ACCURACY.getOrDefault(model, Double.NaN);
        if (Double.isNaN(claim)) {
            throw new IllegalArgumentException("give --claimed-accuracy for a model that is not bundled");
        }
        FusionServer server = new FusionServer(new InferenceServer(net, FixedPoint.defaults(), 4096, false), claim);
        if (cheat != null) {
            server = CheatingStrategy.parse(cheat).apply(server, new SecureRandom());
        }
        FusionOptions targets = new FusionOptions();
        targets.escapeBits = escapeBits;
        targets.shortfall = shortfall;
        targets.falseAlarm = falseAlarm;
        targets.miss = miss;
        targets.publicSet = publicSet;
        targets.minAccuracy = minAccuracy;
        targets.maxSlots = maxSlots;
        targets.inputNoise = inputNoise;
        // The queries are the public set's own samples here (a demo); read and checked against the model before anything starts.
        org.fusionmpc.fusion.LabelledSet data = targets.publicSet(net);
        if (queries < 1 || first < 0 || first + queries > data.size()) {
            throw new IllegalArgumentException("--first-image and --queries must pick samples within the public set's " + data.size());
        }
        FusionClient client = targets.client(queries, claim, net).withLinear(engines.linear).withComparison(engines.comparison).withOtK(engines.otK).withOt(engines.ot()).withRingBits(engines.ringBits());
        double[][] images = new double[queries][];
        for (int i = 0; i < queries; i++) {
            images[i] = data.sample(first + i);
        }
        out.printf(Locale.ROOT, "fusion demo: model %s (%s), server claims %.2f%% accuracy%s%n", net.name(), describe(net), 100 * server.claimedAccuracy(),
                cheat == null ? "" : "; the server CHEATS: " + cheat);
        String warning = targets.knownCheckSetWarning();
        if (warning != null) {
            out.println(warning);
        }
        if (server.claimedAccuracy() >= minAccuracy) {
            var params = FusionOptimizer.choose(targets.targets(queries, server.claimedAccuracy()), maxSlots);
            out.printf(Locale.ROOT, "parameters: q=%d private images, R=%d replicas each, B=%d public samples, N=%d slots in one secure session%n",
                    queries, params.replicas(), params.publicSlots(), params.slots());
            out.println("  " + params.explain().replace("\n", "\n  "));
        }

        TlsIdentity identity = TlsIdentity.selfSigned("fusion-demo-server");
        TlsConfig serverTls = TlsConfig.builder().identity(identity).build();
        TlsConfig clientTls = TlsConfig.builder().pinPeer(identity.fingerprint()).build();
        Progress progress = new Progress(System.err);
        FusionReport r;
        FusionServer s = server;
        try (TlsListener listener = TlsListener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), ChannelConfig.DEFAULT, serverTls)) {
            CompletableFuture<Integer> served = CompletableFuture.supplyAsync(() -> {
                try (Channel ch = listener.accept()) {
                    return s.serve(ch);
                }
            });
            try (Channel ch = TlsChannel.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), listener.port()), ChannelConfig.DEFAULT, clientTls)) {
                out.println("channel: " + ch.describe() + ", server certificate pinned " + identity.fingerprint().hex().substring(0, 16) + "...");
                r = client.verify(ch, images, progress);
            } catch (PolicyRefusal e) {
                progress.done();
                out.println("refused by the client's policy: " + e.getMessage());
                served.handle((n, t) -> n).get(60, TimeUnit.SECONDS); // the server sees the client leave
                return cheat != null ? 0 : 1;
            } finally {
                progress.done();
            }
            served.get(60, TimeUnit.SECONDS);
        }
        var params = r.params();
        out.println();
        out.println("image  true label  fusion label");
        for (int i = 0; i < queries; i++) {
            out.printf(Locale.ROOT, "%5d  %10d  %12s%n", first + i, data.label(first + i), r.accepted() ? Integer.toString(r.labels()[i]) : "(withheld)");
        }
        out.println();
        out.printf(Locale.ROOT, "verdict: %s%n", r.verdict());
        out.printf(Locale.ROOT, "  claimed %.2f%%; public samples right: %d of %d (%.1f%%, 95%% CI %.1f-%.1f%%), threshold %d; inconsistent queries: %d%n",
                100 * params.targets().claimedAccuracy(), r.publicCorrect(), params.publicSlots(), 100 * r.accuracyEstimate(),
                100 * r.accuracyInterval()[0], 100 * r.accuracyInterval()[1], params.threshold(), r.inconsistentQueries());
        for (String f : r.failures()) {
            out.println("  failed: " + f);
        }
        out.printf(Locale.ROOT, "time: %.1f s for %d slots (%.2f s per private image); bytes: client sent %.1f MB, received %.1f MB%n",
                r.nanos() / 1e9, params.slots(), r.nanos() / 1e9 / queries, r.bytesSent() / 1e6, r.bytesReceived() / 1e6);
        if (report != null) {
            Files.writeString(report, r.toJson() + System.lineSeparator());
            out.println("report: " + report);
        }
        boolean expected = cheat == null ? r.accepted() : !r.accepted();
        if (!expected) {
            out.println(cheat == null ? "an honest server was rejected (a false alarm; its probability is bounded above)"
                    : "this cheating server escaped detection in this session (see the detection probabilities with ./fusion params)");
        }
        return expected ? 0 : 1;
    }

    static String describe(Network net) {
        return net.layers().size() + " layers, " + net.reluCount() + " ReLUs, input " + java.util.Arrays.toString(net.inputShape());
    }
}
