package org.fusionmpc.fusion;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.fusionmpc.api.session.ProtocolId;
import org.fusionmpc.api.spi.PartyOptions;
import org.fusionmpc.api.spi.ProtocolProvider;
import org.fusionmpc.semihonest.InferenceServer;
import org.fusionmpc.semihonest.ComparisonMode;
import org.fusionmpc.semihonest.LinearMode;
import org.fusionmpc.semihonest.Mnist;

/**
 * The {@code fusion} plugin. Server options: {@code claimed-accuracy} (required) and those of the
 * {@code semi-honest} backend ({@code model}, ...), plus {@code simulate-cheating} (a {@link CheatingStrategy}
 * name, for demonstrations). Client options: {@code public-set} ({@code mnist-test} for the full MNIST test
 * set, fetched on demand; {@code mnist-test-500}, the bundled subset, by default; or files, see {@link LabelledSet#read}), {@code escape},
 * {@code shortfall}, {@code false-alarm}, {@code miss}, the client's policy {@code min-accuracy} (0.9),
 * {@code max-slots} (2048), {@code input-noise} (0) and {@code pad-slots} (1), and the backend's {@code linear},
 * {@code comparison}, {@code ot-k}, {@code threads} and {@code ring-bits} (as the {@code semi-honest} client takes them).
 */
public final class FusionProvider implements ProtocolProvider<FusionClient, FusionServer>, org.fusionmpc.inference.Inference {

    public static final String NAME = "fusion";
    static final ProtocolId ID = new ProtocolId(NAME, 6); // 6: its semi-honest backend at version 9

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public int version() {
        return ID.version();
    }

    @Override
    public String description() {
        return "verified inference against a malicious server: mix-and-check over the semi-honest backend";
    }

    @Override
    public Class<FusionClient> clientType() {
        return FusionClient.class;
    }

    @Override
    public Class<FusionServer> serverType() {
        return FusionServer.class;
    }

    @Override
    public FusionClient newClient(PartyOptions options) {
        options.requireOnly(Set.of("public-set", "escape", "shortfall", "false-alarm", "miss", "linear", "comparison", "ot-k",
                "ot", "threads", "ring-bits", "min-accuracy", "max-slots", "input-noise", "pad-slots"));
        LabelledSet set;
        String name = options.get("public-set", "mnist-test-500");
        try {
            set = publicSet(name, null);
        } catch (IOException e) {
            throw new IllegalStateException("cannot load the public set " + name + ": " + e.getMessage(), e);
        }
        return new FusionClient(set, number(options, "escape", FusionTargets.DEFAULT_ESCAPE),
                number(options, "shortfall", FusionTargets.DEFAULT_SHORTFALL),
                number(options, "false-alarm", FusionTargets.DEFAULT_FALSE_ALARM),
                number(options, "miss", FusionTargets.DEFAULT_MISS), FusionTargets.DEFAULT_HONEST_FLIP)
                .withLinear(LinearMode.parse(options.get("linear", LinearMode.DEFAULT.id())))
                .withComparison(ComparisonMode.parse(options.get("comparison", ComparisonMode.DEFAULT.id())))
                .withOtK(org.fusionmpc.semihonest.InferenceClient.parseOtK(options.get("ot-k", "auto")))
                .withOt(org.fusionmpc.semihonest.InferenceClient.parseOt(options.get("ot", "auto")))
                .withThreads(options.getInt("threads", 1))
                .withRingBits(options.getInt("ring-bits", 0))
                .withMinAccuracy(number(options, "min-accuracy", FusionTargets.DEFAULT_MIN_ACCURACY))
                .withCaps(options.getInt("max-slots", FusionTargets.DEFAULT_MAX_SLOTS), org.fusionmpc.semihonest.InferenceClient.defaultMaxValues())
                .withInputNoise(options.getInt("input-noise", 0))
                .withSlotBucket(options.getInt("pad-slots", 1));
    }

    @Override
    public FusionServer newServer(PartyOptions options) {
        double claimed = number(options, "claimed-accuracy", Double.NaN);
        if (Double.isNaN(claimed)) {
            throw new IllegalArgumentException("missing option 'claimed-accuracy'");
        }
        Map<String, String> rest = new HashMap<>(options.asMap());
        rest.remove("claimed-accuracy");
        String cheat = rest.remove("simulate-cheating");
        InferenceServer backend = Backend.provider().newServer(PartyOptions.of(rest));
        FusionServer server = new FusionServer(backend, claimed);
        return cheat == null ? server : CheatingStrategy.parse(cheat).apply(server, new java.security.SecureRandom());
    }

    /**
     * A public set by name: {@code mnist-test-500} (bundled), {@code mnist-test} (fetched once), or files as
     * {@link LabelledSet#read} takes them; {@code chw} as there.
     */
    public static LabelledSet publicSet(String name, int[] chw) throws IOException {
        return switch (name) {
            case "mnist-test-500" -> LabelledSet.fromMnist(Mnist.testSubset());
            case "mnist-test" -> LabelledSet.fromMnist(Mnist.fullTestSet(Path.of(System.getProperty("user.home"), ".cache", "fusionmpc", "mnist")));
            default -> LabelledSet.read(name, chw);
        };
    }

    @Override
    public org.fusionmpc.inference.Inference.Server server(org.fusionmpc.inference.ServerOptions options) {
        if (options.claimedAccuracy() == null) {
            throw new IllegalArgumentException("a Fusion server needs its claimed accuracy (ServerOptions.builder(model).claimedAccuracy(a))");
        }
        FusionServer server = newServer(PartyOptions.of(options.asMap()));
        return server::serve;
    }

    @Override
    public org.fusionmpc.inference.Inference.Client client(org.fusionmpc.inference.ClientOptions options) {
        if (options.logits()) {
            throw new IllegalArgumentException("Fusion checks labels: a Fusion client cannot ask for logits (ClientOptions.logits)");
        }
        FusionClient client = newClient(PartyOptions.of(options.asMap()));
        return (channel, inputs, progress) -> {
            FusionReport r = client.verify(channel, inputs, progress);
            return new org.fusionmpc.inference.Answer(r.accepted() ? r.labels() : null, null,
                    r.accepted() ? org.fusionmpc.inference.Answer.Check.ACCEPTED : org.fusionmpc.inference.Answer.Check.REJECTED,
                    r.failures(), r.toJson(), r.nanos(), r.bytesSent(), r.bytesReceived());
        };
    }

    private static double number(PartyOptions o, String key, double fallback) {
        String v = o.get(key, null);
        if (v == null) {
            return fallback;
        }
        try {
            return Double.parseDouble(v.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("option '" + key + "' must be a number, got '" + v + "'");
        }
    }
}
