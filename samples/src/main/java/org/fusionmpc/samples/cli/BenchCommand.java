package org.fusionmpc.samples.cli;

import java.io.PrintStream;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.fusionmpc.samples.bench.ChannelBench;
import org.fusionmpc.samples.bench.GcBench;
import org.fusionmpc.samples.bench.JsonLine;
import org.fusionmpc.samples.bench.OtBench;
import org.fusionmpc.samples.bench.RingBench;
import org.fusionmpc.samples.bench.HeBench;
import org.fusionmpc.samples.bench.InferBench;
import org.fusionmpc.samples.bench.FusionBench;
import org.fusionmpc.semihonest.Mnist;
import org.fusionmpc.semihonest.Network;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Benchmarks with the contract of DESIGN section 8: JSON lines, baselines from the same run, exit 0 only if all ok. */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = {"Run a benchmark. WHAT is one of: channel, ot, gc, ring, he, infer, fusion.",
            "With --json, prints one JSON object per line (bench, unit, value, baseline, baseline_value, ratio, n, ...)."})
final class BenchCommand implements Callable<Integer> {

    @Parameters(paramLabel = "WHAT", description = "What to measure: channel, ot, gc, ring, he, infer, fusion.")
    String what;

    @Option(names = "--json", description = "Print JSON lines instead of a table.")
    boolean json;

    @Option(names = "--messages", defaultValue = "16384",
            description = "64 KiB messages per throughput measurement (default: ${DEFAULT-VALUE}, i.e. 1 GiB).")
    int messages;

    @Option(names = "--pings", defaultValue = "20000", description = "Round trips per latency measurement (default: ${DEFAULT-VALUE}).")
    int pings;

    @Option(names = "--relus", defaultValue = "100000", description = "gc: ReLUs on shares per measurement (default: ${DEFAULT-VALUE}).")
    int relus;

    @Option(names = "--ot-relus", defaultValue = "1048576",
            description = "gc: ReLUs and comparisons for relu-ot-32 and millionaire-32, the OT-based engine (default: ${DEFAULT-VALUE}).")
    int otRelus;

    @Option(names = "--ands", defaultValue = "10000000", description = "gc: at least this many AND gates to garble and evaluate (default: ${DEFAULT-VALUE}).")
    long ands;

    @Option(names = "--tcp", description = "ot, gc, ring: run the parties over loopback TCP instead of the in-memory channel.")
    boolean tcp;

    @Option(names = "--silent-ots", defaultValue = "100007936",
            description = "ot: OTs of the silent lines, from a fresh setup; a multiple of 65536 (default: ${DEFAULT-VALUE}, ten rounds).")
    int silentOts;

    @Option(names = "--ots", defaultValue = "4194304",
            description = "ot: OTs per batch, streamed in chunks of 65536 (default: ${DEFAULT-VALUE} = 2^22).")
    int ots;

    @Option(names = "--model", defaultValue = "minionn-cnn", description = "infer, fusion: bundled model or ONNX file (default: ${DEFAULT-VALUE}).")
    String model;

    @Option(names = "--images", defaultValue = "20", description = "infer: MNIST test images, one session each (default: ${DEFAULT-VALUE}; above 500 fetches the full test set).")
    int imageCount;

    @Option(names = "--claimed-accuracy", description = "fusion: the server's claim (default: the bundled model's measured accuracy).")
    Double claimedAccuracy;

    @Mixin
    FusionOptions targets = new FusionOptions();

    @Option(names = "--wan", paramLabel = "RATE:RTT",
            description = "infer, fusion: shape the link, e.g. 100mbit:20ms; see --shaping. The output's 'shaping' says what ran.")
    String wan;

    @Option(names = "--shaping", defaultValue = "auto", paramLabel = "auto|kernel|in-process",
            description = "infer, fusion with --wan: kernel = the server in its own process in a network namespace, over a veth pair "
                    + "shaped by tc (needs root: CAP_SYS_ADMIN and CAP_NET_ADMIN); in-process = both parties here, emulated link; "
                    + "auto = kernel where possible (default: ${DEFAULT-VALUE}).")
    String shaping;

    @Option(names = "--batch", defaultValue = "1",
            description = "infer: inputs per session (semi-honest batch packing); each line a session, bytes per input beside a one-input session of the same run (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--prepare-weights", defaultValue = "auto", paramLabel = "auto|on|off",
            description = "infer: whether the server prepares its RLWE weights (encoded, in NTT form) once before the sessions: auto (layer by layer, up to a quarter of the session budget), on or off (default: ${DEFAULT-VALUE}).")
    String prepareWeights;

    @Option(names = "--threads", defaultValue = "2", description = "infer: threads per party, for the server's RLWE products and both parties' OT-extension leaf expansion (default: ${DEFAULT-VALUE}).")
    int threads;

    @Option(names = "--network", description = "infer, fusion: a reference network with random weights on random inputs instead of --model "
            + "(minionn-cifar10); logits are checked against ONNX Runtime. For fusion a cost benchmark: the public set is random inputs "
            + "labelled by the network itself, the claim " + NETWORK_CLAIM + " unless --claimed-accuracy.")
    String network;

    @Mixin
    EngineOptions engines = new EngineOptions();

    @Option(names = "--q", split = ",", defaultValue = "1,4,16", description = "fusion: private queries per session to measure (default: ${DEFAULT-VALUE}).")
    int[] qs;

    private Mnist.Dataset images() throws java.io.IOException {
        Mnist.Dataset d = imageCount <= 500 ? Mnist.testSubset() : Mnist.fullTestSet(java.nio.file.Path.of(System.getProperty("user.home"), ".cache", "fusionmpc", "mnist"));
        return d.first(imageCount);
    }

    private org.fusionmpc.api.channel.ShapedLink.Spec wanSpec() {
        return wan == null ? null : org.fusionmpc.api.channel.ShapedLink.Spec.parse(wan);
    }

    /**
     * Fusion on {@code --network} (random weights; a cost benchmark, its public set labelled by the model itself) or on
     * {@code --model} with {@code --public-set}, whose first samples are also the queries.
     */
    private FusionBench fusionBench(Progress progress) throws java.io.IOException {
        if (network != null) {
            double claim = claimedAccuracy != null ? claimedAccuracy : NETWORK_CLAIM;
            int maxQ = java.util.Arrays.stream(qs).max().orElse(1);
            int b = org.fusionmpc.fusion.FusionOptimizer.choose(targets.targets(maxQ, claim), targets.maxSlots).publicSlots();
            for (int q : qs) {
                b = Math.max(b, org.fusionmpc.fusion.FusionOptimizer.choose(targets.targets(q, claim), targets.maxSlots).publicSlots());
            }
            return FusionBench.network(network, 2 * b, claim, targets::client, qs, tcp, engines.linear, engines.comparison, progress);
        }
        Network net = Models.load(model);
        org.fusionmpc.fusion.LabelledSet set = targets.publicSet(net);
        int maxQ = java.util.Arrays.stream(qs).max().orElse(1);
        double[][] pool = new double[Math.min(maxQ, set.size())][];
        for (int i = 0; i < pool.length; i++) {
            pool[i] = set.sample(i);
        }
        long[] shape = java.util.stream.LongStream.concat(java.util.stream.LongStream.of(1),
                java.util.Arrays.stream(net.inputShape()).asLongStream()).toArray();
        return new FusionBench(net, Models.bytes(model), claimed(), targets.client(set), pool, shape, qs, tcp, engines.linear,
                engines.comparison, progress);
    }

    /** The claim of a --network's server: its public set is labelled by the model itself, so an honest one is right on nearly all. */
    static final double NETWORK_CLAIM = 0.95;

    private double claimed() {
        double c = claimedAccuracy != null ? claimedAccuracy : Models.ACCURACY.getOrDefault(model, Double.NaN);
        if (Double.isNaN(c)) {
            throw new IllegalArgumentException("give --claimed-accuracy for a model that is not bundled");
        }
        return c;
    }

    @Override
    public Integer call() throws Exception {
        PrintStream err = System.err;
        Progress progress = new Progress(err);
        List<JsonLine> lines = switch (what) {
            case "channel" -> new ChannelBench(messages, pings, step -> err.println("bench: " + step + " ...")).run();
            case "ot" -> new OtBench(ots, tcp, step -> err.println("bench: " + step + " ...")).withSilentOts(silentOts).run();
            case "gc" -> new GcBench(relus, otRelus, ands, tcp, step -> err.println("bench: " + step + " ...")).run();
            case "ring" -> new RingBench(tcp, step -> err.println("bench: " + step + " ...")).run();
            case "he" -> new HeBench(threads, step -> err.println("bench: " + step + " ...")).run();
            case "infer" -> (network != null ? InferBench.network(network, imageCount, tcp, engines.linear, engines.comparison, progress)
                    : new InferBench(Models.load(model), Models.bytes(model), images(), tcp, engines.linear, engines.comparison, progress)).withWan(wanSpec()).withShaping(shaping).withThreads(threads).withPrepareWeights(org.fusionmpc.semihonest.PrepareWeights.of(prepareWeights)).withBatch(batch).withOtK(engines.otK).withOt(engines.ot()).withRingBits(engines.ringBits()).run();
            case "fusion" -> fusionBench(progress).withWan(wanSpec()).withShaping(shaping).withOtK(engines.otK).withOt(engines.ot()).withRingBits(engines.ringBits()).run();
            default -> throw new IllegalArgumentException("unknown benchmark '" + what + "'; known: channel, ot, gc, ring, he, infer, fusion");
        };
        progress.done();
        for (JsonLine line : lines) {
            System.out.println(json ? line.toJson() : human(line));
        }
        return lines.stream().allMatch(JsonLine::ok) ? 0 : 1;
    }

    private static String human(JsonLine l) {
        String base = l.get("baseline") == null ? ""
                : String.format(Locale.ROOT, "  (%s %.1f, ratio %.3f)", l.get("baseline"), (Double) l.get("baseline_value"),
                        (Double) l.get("ratio"));
        Object provider = l.get("tls_provider");
        return String.format(Locale.ROOT, "%-16s %12.1f %-5s%s%s%s", l.get("bench"), (Double) l.get("value"), l.get("unit"),
                base, provider == null ? "" : "  [" + provider + "]", l.ok() ? "" : "  NOT OK");
    }
}
