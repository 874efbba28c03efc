package org.fusionmpc.samples.cli;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.fusionmpc.fusion.ImageFiles;
import org.fusionmpc.api.channel.Channel;
import org.fusionmpc.api.channel.ChannelConfig;
import org.fusionmpc.api.channel.TlsChannel;
import org.fusionmpc.api.tls.Fingerprint;
import org.fusionmpc.api.tls.TlsConfig;
import org.fusionmpc.fusion.FusionReport;
import org.fusionmpc.semihonest.InferenceClient;
import org.fusionmpc.semihonest.InferenceResult;
import org.fusionmpc.semihonest.Mnist;
import org.fusionmpc.semihonest.OutputMode;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Classifies MNIST test images or an image file on a server, over TLS with its pinned certificate. */
@Command(name = "client", mixinStandardHelpOptions = true,
        description = "Classify inputs on a server over TLS, with Fusion's verification (default) or the semi-honest protocol.")
final class ClientCommand implements Callable<Integer> {

    @Option(names = "--connect", required = true, paramLabel = "HOST:PORT", description = "The server.")
    String connect;

    @Option(names = "--pin", required = true, description = "The server certificate's SHA-256 fingerprint (hex), as the server printed it.")
    String pin;

    @Option(names = "--protocol", defaultValue = "fusion", description = "fusion or semi-honest (default: ${DEFAULT-VALUE}).")
    String protocol;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Input input;

    static final class Input {
        @Option(names = "--mnist-index", description = "Index of a bundled MNIST test image (0-499).")
        Integer index;

        @Option(names = "--input", description = "A 28x28 image (PNG or PGM) or a text file of 784 numbers in [0, 1].")
        Path file;
    }

    @Option(names = "--count", defaultValue = "1", description = "With --mnist-index: this many consecutive images (default: ${DEFAULT-VALUE}).")
    int count;

    @Mixin
    EngineOptions engines = new EngineOptions();

    @Option(names = "--threads", defaultValue = "1",
            description = "Threads for this side's OT extensions and comparison batches, 1-8; the wire does not depend on it (default: ${DEFAULT-VALUE}).")
    int threads;

    @Option(names = "--logits", description = "semi-honest only: reveal the logits, not just the label.")
    boolean logits;

    @Option(names = "--report", description = "fusion: write the verification report (JSON) here.")
    Path report;

    @Mixin
    FusionOptions targets = new FusionOptions();

    @Option(names = "--ledger", description = "fusion: keep this server's public outcomes in FILE across sessions and test them sequentially (off by default).")
    Path ledger;

    @Option(names = "--session-miss", defaultValue = "0.5",
            description = "fusion with --ledger: per-session miss target; the ledger supplies the rest of the power over sessions (default: ${DEFAULT-VALUE}).")
    double sessionMiss;

    @Override
    public Integer call() throws Exception {
        int ringBits = engines.ringBits(); // a bad ℓ, OT extension or thread count is refused before connecting
        engines.ot();
        org.fusionmpc.semihonest.InferenceClient.checkThreads(threads);
        double[][] inputs;
        int[] truth = null;
        // Fusion's check set fixes the queries' shape; read (and refused if unreadable) before anything connects.
        org.fusionmpc.fusion.LabelledSet publicSet = protocol.equals("fusion") ? targets.publicSet(null) : null;
        if (input.index != null) {
            Mnist.Dataset d = Mnist.testSubset();
            if (input.index < 0 || count < 1 || input.index + count > d.size()) {
                throw new IllegalArgumentException("--mnist-index and --count must pick images within 0-" + (d.size() - 1));
            }
            inputs = Arrays.copyOfRange(d.images(), input.index, input.index + count);
            truth = Arrays.copyOfRange(d.labels(), input.index, input.index + count);
        } else {
            inputs = new double[][] {readImage(input.file, publicSet == null ? MNIST_SHAPE : imageShape(publicSet.shape()))};
        }
        int colon = connect.lastIndexOf(':');
        if (colon < 1) {
            throw new IllegalArgumentException("--connect must be HOST:PORT, got " + connect);
        }
        InetSocketAddress address = new InetSocketAddress(connect.substring(0, colon), Integer.parseInt(connect.substring(colon + 1)));
        TlsConfig tls = TlsConfig.builder().pinPeer(new Fingerprint(pin)).build();
        Progress progress = new Progress(System.err);
        try (Channel ch = TlsChannel.connect(address, ChannelConfig.DEFAULT, tls)) {
            if (protocol.equals("fusion")) {
                if (logits) {
                    throw new IllegalArgumentException("Fusion checks labels; --logits is for the semi-honest protocol");
                }
                FusionReport r;
                try {
                    String warning = targets.knownCheckSetWarning();
                    if (warning != null) {
                        System.err.println(warning);
                    }
                    var fc = targets.client(publicSet).withLinear(engines.linear).withComparison(engines.comparison).withOtK(engines.otK).withOt(engines.ot()).withThreads(threads).withRingBits(ringBits);
                    if (ledger != null) {
                        fc = fc.withLedger(org.fusionmpc.fusion.AccuracyLedger.open(ledger), pin.toLowerCase(Locale.ROOT), sessionMiss);
                    }
                    r = fc.verify(ch, inputs, progress);
                } catch (org.fusionmpc.fusion.PolicyRefusal e) {
                    progress.done();
                    System.out.println("verdict: REFUSED by this client's policy: " + e.getMessage());
                    return 3;
                } finally {
                    progress.done();
                }
                for (int i = 0; i < inputs.length; i++) {
                    System.out.println("input " + i + ": label " + (r.accepted() ? r.labels()[i] : "(withheld)")
                            + (truth == null ? "" : " (true " + truth[i] + ")"));
                }
                System.out.println("verdict: " + r.verdict() + (r.failures().isEmpty() ? "" : " " + r.failures()));
                System.out.printf(Locale.ROOT, "claimed accuracy %.2f%%; public samples right %d of %d (%.1f%%, 95%% CI %.1f-%.1f%%)%n",
                        100 * r.params().targets().claimedAccuracy(), r.publicCorrect(), r.params().publicSlots(), 100 * r.accuracyEstimate(),
                        100 * r.accuracyInterval()[0], 100 * r.accuracyInterval()[1]);
                System.out.printf(Locale.ROOT, "R=%d B=%d N=%d; time %.1f s; bytes sent %d, received %d%n", r.params().replicas(),
                        r.params().publicSlots(), r.params().slots(), r.nanos() / 1e9, r.bytesSent(), r.bytesReceived());
                if (report != null) {
                    Files.writeString(report, r.toJson() + System.lineSeparator());
                }
                return r.accepted() ? 0 : 3;
            }
            if (!protocol.equals("semi-honest")) {
                throw new IllegalArgumentException("the client speaks fusion or semi-honest, not " + protocol);
            }
            InferenceResult r;
            try {
                r = new InferenceClient(logits ? OutputMode.LOGITS : OutputMode.LABEL, engines.linear, engines.comparison).withOtK(engines.otK).withOt(engines.ot()).withThreads(threads).withRingBits(ringBits).classify(ch, inputs, progress);
            } finally {
                progress.done();
            }
            for (int i = 0; i < inputs.length; i++) {
                System.out.println("input " + i + ": label " + r.labels()[i] + (truth == null ? "" : " (true " + truth[i] + ")")
                        + (r.logits() == null ? "" : " logits " + format(r.logits()[i])));
            }
            System.out.printf(Locale.ROOT, "time %.1f s; bytes sent %d, received %d; rounds %d%n", r.nanos() / 1e9, r.bytesSent(),
                    r.bytesReceived(), r.rounds());
            return 0;
        }
    }

    private static String format(double[] v) {
        StringBuilder b = new StringBuilder("[");
        for (double x : v) {
            b.append(b.length() > 1 ? ", " : "").append(String.format(Locale.ROOT, "%.3f", x));
        }
        return b.append(']').toString();
    }

    /** A 28x28 grey image (PNG via ImageIO, binary or text PGM) or 784 numbers in [0, 1]. */
    static double[] readImage(Path file) throws IOException {
        return readImage(file, MNIST_SHAPE);
    }

    /** {@code shape} as channels, height, width: an image's for 2 or 3 dimensions (leading 1s aside), else 1x1xN numbers. */
    static int[] imageShape(int[] shape) {
        int[] s = org.fusionmpc.semihonest.Network.withoutLeadingOnes(shape);
        if (s.length == 2) {
            return new int[] {1, s[0], s[1]};
        }
        if (s.length == 3) {
            return s;
        }
        return new int[] {1, 1, Arrays.stream(s).reduce(1, (a, b) -> a * b)};
    }

    /** The query image shape when nothing else says it: MNIST's one channel of 28x28. */
    static final int[] MNIST_SHAPE = {1, 28, 28};

    /**
     * An input of shape {@code chw} (channels, height, width): an image file ({@link ImageFiles}) or a text file of
     * C·H·W numbers in [0, 1].
     */
    static double[] readImage(Path file, int[] chw) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        double[] image = ImageFiles.decode(file, bytes, chw[0], chw[1], chw[2]);
        if (image != null) {
            return image;
        }
        int size = chw[0] * chw[1] * chw[2];
        String[] v = new String(bytes, StandardCharsets.UTF_8).strip().split("[\\s,]+");
        if (v.length != size) {
            throw new IllegalArgumentException(file + ": expected " + size + " numbers, found " + v.length);
        }
        double[] x = new double[size];
        for (int i = 0; i < size; i++) {
            try {
                x[i] = Double.parseDouble(v[i]);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(file + ": value " + i + " ('" + v[i] + "') is not a number");
            }
            if (!(x[i] >= 0 && x[i] <= 1)) {
                throw new IllegalArgumentException(file + ": value " + i + " is " + x[i] + "; pixel values must lie in [0, 1]");
            }
        }
        return x;
    }

    /** A 28x28 PGM (P2 or P5), as {@link ImageFiles#pnm} reads it. */
    static double[] readPgm(Path file, byte[] bytes) {
        return ImageFiles.pnm(file, bytes, 1, 28, 28);
    }
}
