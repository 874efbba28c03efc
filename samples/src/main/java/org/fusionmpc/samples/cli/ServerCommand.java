package org.fusionmpc.samples.cli;

import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.concurrent.Callable;
import org.fusionmpc.api.session.SessionServer;
import org.fusionmpc.api.channel.ChannelConfig;
import org.fusionmpc.api.channel.TlsListener;
import org.fusionmpc.api.channel.Channel;
import org.fusionmpc.api.channel.FlightDelay;
import org.fusionmpc.api.spi.Protocols;
import org.fusionmpc.api.tls.TlsConfig;
import org.fusionmpc.api.tls.TlsIdentity;
import org.fusionmpc.fusion.CheatingStrategy;
import org.fusionmpc.fusion.FusionServer;
import org.fusionmpc.ring.FixedPoint;
import org.fusionmpc.semihonest.InferenceServer;
import org.fusionmpc.semihonest.Network;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Serves secure inference over TLS, one session after another; a failed session does not stop the server. */
@Command(name = "server", mixinStandardHelpOptions = true,
        description = "Serve a model over TLS to clients of the fusion (default) or semi-honest protocol.")
final class ServerCommand implements Callable<Integer> {

    @Option(names = "--model", required = true, description = "Bundled model (minionn-cnn, secureml-mlp, lenet5-bn) or an ONNX file.")
    String model;

    @Option(names = "--port", defaultValue = "7443", description = "TCP port; 0 picks a free one (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--bind", defaultValue = "127.0.0.1", description = "Address to listen on (default: ${DEFAULT-VALUE}).")
    String bind;

    @Option(names = "--protocol", defaultValue = "fusion", description = "fusion or semi-honest (default: ${DEFAULT-VALUE}).")
    String protocol;

    @Option(names = "--claimed-accuracy", description = "Accuracy announced to Fusion clients (default: the bundled model's measured one).")
    Double claimed;

    @Option(names = "--key", description = "PEM private key (with --cert); without them a fresh self-signed identity is made.")
    Path key;

    @Option(names = "--cert", description = "PEM certificate.")
    Path cert;

    @Option(names = "--fingerprint-file", description = "Write the certificate's SHA-256 fingerprint here (for scripts).")
    Path fingerprintFile;

    @Option(names = "--sessions", defaultValue = "0", description = "Stop after this many sessions; 0 serves until killed (default: ${DEFAULT-VALUE}).")
    int sessions;

    @Option(names = "--max-sessions", defaultValue = "4",
            description = "Sessions served at once; a client arriving when all are busy is refused with a clear message (default: ${DEFAULT-VALUE}).")
    int maxSessions;

    @Option(names = "--max-batch", defaultValue = "4096", description = "Largest batch (slots) per session (default: ${DEFAULT-VALUE}).")
    int maxBatch;

    @Option(names = "--threads", defaultValue = "2",
            description = "Threads per session for RLWE products, OT extensions and comparison batches; the wire does not depend on it (default: ${DEFAULT-VALUE}).")
    int threads;

    @Option(names = "--flush-delay-us", defaultValue = "0", paramLabel = "MICROSECONDS",
            description = "FOR BENCHMARKS: hold each flush this long, half a WAN round trip, where the kernel shapes only the rate (tbf without netem); 0 is off (default: ${DEFAULT-VALUE}).")
    long flushDelayMicros;

    @Option(names = "--simulate-cheating", paramLabel = "STRATEGY",
            description = "FOR DEMONSTRATIONS: cheat as a malicious server would (fusion only); see ./fusion demo --help.")
    String cheat;

    @Override
    public Integer call() throws Exception {
        if (flushDelayMicros < 0) {
            throw new IllegalArgumentException("--flush-delay-us must be 0 or more, got " + flushDelayMicros);
        }
        Protocols.byName(protocol); // an unknown name is an error listing the known ones
        Network net = Models.load(model);
        InferenceServer backend = new InferenceServer(net, FixedPoint.defaults(), maxBatch, protocol.equals("semi-honest")).withThreads(threads);
        FusionServer fusion = null;
        if (protocol.equals("fusion")) {
            double claim = claimed != null ? claimed : Models.ACCURACY.getOrDefault(model, Double.NaN);
            if (Double.isNaN(claim)) {
                throw new IllegalArgumentException("give --claimed-accuracy for a model that is not bundled");
            }
            fusion = new FusionServer(backend, claim);
            if (cheat != null) {
                fusion = CheatingStrategy.parse(cheat).apply(fusion, new SecureRandom());
            }
        } else if (cheat != null) {
            throw new IllegalArgumentException("--simulate-cheating applies to the fusion protocol");
        } else if (!protocol.equals("semi-honest")) {
            throw new IllegalArgumentException("the server speaks fusion or semi-honest, not " + protocol);
        }
        if ((key == null) != (cert == null)) {
            throw new IllegalArgumentException("give both --key and --cert, or neither");
        }
        TlsIdentity id = key != null ? TlsIdentity.readPem(key, cert) : TlsIdentity.selfSigned("fusion-server");
        TlsListener listener = TlsListener.bind(new InetSocketAddress(bind, port), ChannelConfig.DEFAULT,
                TlsConfig.builder().identity(id).build());
        if (fingerprintFile != null) {
            Files.writeString(fingerprintFile, id.fingerprint().hex() + System.lineSeparator());
        }
        System.out.println("serving " + net.name() + " (" + protocol + (cheat == null ? "" : ", CHEATING: " + cheat) + ") on "
                + bind + ":" + listener.port() + " [TLS " + listener.provider() + ", up to " + maxSessions + " sessions at once]");
        System.out.println("fingerprint: " + id.fingerprint().hex());
        System.out.flush();
        FusionServer f = fusion;
        SessionServer.Handler handler = raw -> {
            Channel ch = flushDelayMicros > 0 ? FlightDelay.wrap(raw, flushDelayMicros * 1000) : raw;
            long start = System.nanoTime();
            int slots = f != null ? f.serve(ch) : backend.serve(ch);
            synchronized (System.out) {
                System.out.printf("session: %d inputs in %.1f s, sent %d bytes, received %d bytes%n", slots,
                        (System.nanoTime() - start) / 1e9, ch.stats().bytesSent(), ch.stats().bytesReceived());
                System.out.flush();
            }
        };
        try (SessionServer server = SessionServer.start(listener, maxSessions, handler, m -> {
            synchronized (System.out) {
                System.out.println(m);
                System.out.flush();
            }
        })) {
            while (sessions == 0 || server.served() + server.failed() < sessions) {
                Thread.sleep(100);
            }
        }
        return 0;
    }
}
