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

    @Option(names = "--handshake-deadline", defaultValue = "10", paramLabel = "SECONDS",
            description = "A connection must finish TLS and send its hello within this time, however slowly its bytes arrive (default: ${DEFAULT-VALUE}).")
    int handshakeDeadline;

    @Option(names = "--session-deadline", defaultValue = "0", paramLabel = "SECONDS",
            description = "End any session that runs longer than this; 0 is none (the idle timeout still applies) (default: ${DEFAULT-VALUE}).")
    int sessionDeadline;

    @Option(names = "--memory-budget", defaultValue = "0", paramLabel = "MB",
            description = "Heap that concurrent sessions may take between them; a session whose estimate (from the model and its batch) does not fit is refused with the largest batch that would; 0 is 3/4 of the maximum heap (default: ${DEFAULT-VALUE}).")
    long memoryBudgetMb;

    @Option(names = "--health-port", defaultValue = "-1", paramLabel = "PORT",
            description = "Serve /healthz, /readyz and /metrics (Prometheus) over plain HTTP on this port, on --bind; 0 picks one; -1 is off (default: ${DEFAULT-VALUE}).")
    int healthPort;

    @Option(names = "--drain-seconds", defaultValue = "30", paramLabel = "SECONDS",
            description = "On SIGTERM: stop accepting, report not ready, let running sessions finish for up to this long, then exit 0 (default: ${DEFAULT-VALUE}).")
    int drainSeconds;

    @Option(names = "--max-batch", defaultValue = "4096", description = "Largest batch (slots) per session (default: ${DEFAULT-VALUE}).")
    int maxBatch;

    @Option(names = "--prepare-weights", defaultValue = "auto", paramLabel = "auto|on|off",
            description = "Prepare the model's RLWE weights (encoded, in NTT form) once at start-up and share them with every session: auto (layer by layer, up to a quarter of the memory budget), on (refuse to start otherwise) or off (default: ${DEFAULT-VALUE}).")
    String prepareWeights;

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
        // Every option is checked before anything binds or prints "serving".
        if (flushDelayMicros < 0) {
            throw new IllegalArgumentException("--flush-delay-us must be 0 or more, got " + flushDelayMicros);
        }
        if (maxSessions < 1 || maxBatch < 1 || sessions < 0 || handshakeDeadline < 1 || sessionDeadline < 0 || port < 0 || port > 65535) {
            throw new IllegalArgumentException("--max-sessions, --max-batch and --handshake-deadline must be positive, --sessions and"
                    + " --session-deadline 0 or more, --port 0..65535; got " + maxSessions + ", " + maxBatch + ", " + handshakeDeadline
                    + ", " + sessions + ", " + sessionDeadline + ", " + port);
        }
        if (healthPort < -1 || healthPort > 65535 || drainSeconds < 0) {
            throw new IllegalArgumentException("--health-port must be -1 (off), 0 or a port, --drain-seconds 0 or more; got "
                    + healthPort + ", " + drainSeconds);
        }
        if (memoryBudgetMb < 0) {
            throw new IllegalArgumentException("--memory-budget must be 0 (3/4 of the heap) or a number of MB, got " + memoryBudgetMb);
        }
        if (threads < 1 || threads > 64) {
            throw new IllegalArgumentException("--threads must be 1..64, got " + threads);
        }
        if (key != null && !Files.isRegularFile(key) || cert != null && !Files.isRegularFile(cert)) {
            throw new IllegalArgumentException("no such file: " + (key != null && !Files.isRegularFile(key) ? key : cert));
        }
        if (fingerprintFile != null && fingerprintFile.toAbsolutePath().getParent() != null
                && !Files.isDirectory(fingerprintFile.toAbsolutePath().getParent())) {
            throw new IllegalArgumentException("--fingerprint-file: no such directory " + fingerprintFile.toAbsolutePath().getParent());
        }
        SessionServer.Limits limits = SessionServer.Limits.defaults(maxSessions).withHandshakeDeadline(java.time.Duration.ofSeconds(handshakeDeadline))
                .withSessionDeadline(sessionDeadline == 0 ? null : java.time.Duration.ofSeconds(sessionDeadline));
        Protocols.byName(protocol); // an unknown name is an error listing the known ones
        Network net = Models.load(model);
        org.fusionmpc.api.session.MemoryBudget budget = memoryBudgetMb == 0
                ? org.fusionmpc.api.session.MemoryBudget.ofHeapFraction(InferenceServer.DEFAULT_HEAP_FRACTION)
                : new org.fusionmpc.api.session.MemoryBudget(memoryBudgetMb << 20);
        InferenceServer backend = new InferenceServer(net, FixedPoint.defaults(), maxBatch, protocol.equals("semi-honest")).withThreads(threads)
                .withMemoryBudget(budget).withPrepareWeights(org.fusionmpc.semihonest.PrepareWeights.of(prepareWeights));
        String prepared = backend.prepareWeights();
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
        TlsIdentity id;
        try {
            id = key != null ? TlsIdentity.readPem(key, cert) : TlsIdentity.selfSigned("fusion-server");
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
        TlsListener listener = TlsListener.bind(new InetSocketAddress(bind, port), ChannelConfig.DEFAULT,
                TlsConfig.builder().identity(id).build());
        if (fingerprintFile != null) {
            Files.writeString(fingerprintFile, id.fingerprint().hex() + System.lineSeparator());
        }
        System.out.println("serving " + net.name() + " (" + protocol + (cheat == null ? "" : ", CHEATING: " + cheat) + ") on "
                + bind + ":" + listener.port() + " [TLS " + listener.provider() + ", up to " + maxSessions + " sessions at once]");
        System.out.println("fingerprint: " + id.fingerprint().hex());
        System.out.println(prepared);
        System.out.printf(java.util.Locale.ROOT, "memory budget: %d MB for all sessions; one session of 100 inputs is admitted for %d MB%n",
                budget.capacity() >> 20, backend.sessionBytes(org.fusionmpc.semihonest.LinearMode.HE, 100) >> 20);
        System.out.flush();
        FusionServer f = fusion;
        OperatorEndpoint[] operator = new OperatorEndpoint[1];
        SessionServer.Handler handler = raw -> {
            Channel ch = flushDelayMicros > 0 ? FlightDelay.wrap(raw, flushDelayMicros * 1000) : raw;
            long start = System.nanoTime();
            int slots = f != null ? f.serve(ch) : backend.serve(ch);
            double wall = (System.nanoTime() - start) / 1e9;
            if (operator[0] != null) {
                operator[0].recordSession(ch.stats().bytesSent(), ch.stats().bytesReceived(), wall);
            }
            synchronized (System.out) {
                System.out.printf("session: %d inputs in %.1f s, sent %d bytes, received %d bytes%n", slots,
                        wall, ch.stats().bytesSent(), ch.stats().bytesReceived());
                System.out.flush();
            }
        };
        try (SessionServer server = SessionServer.start(listener, maxSessions, limits, handler, m -> {
            synchronized (System.out) {
                System.out.println(escapeForLog(m));
                System.out.flush();
            }
        })) {
            if (healthPort >= 0) {
                operator[0] = OperatorEndpoint.start(bind, healthPort, server, budget);
                System.out.println("operator endpoint: http://" + bind + ":" + operator[0].port() + " (/healthz, /readyz, /metrics)");
                System.out.flush();
            }
            // SIGTERM (a pod being stopped, say): report not ready, stop accepting, finish what runs, exit 0.
            Thread drain = new Thread(() -> {
                if (operator[0] != null) {
                    operator[0].startDraining();
                }
                synchronized (System.out) {
                    System.out.println("draining: no new sessions; waiting up to " + drainSeconds + " s for " + server.active() + " running");
                    System.out.flush();
                }
                try {
                    server.close(drainSeconds, java.util.concurrent.TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                synchronized (System.out) {
                    System.out.println("drained: " + server.served() + " sessions served, " + server.active() + " still running; exiting");
                    System.out.flush();
                }
                if (operator[0] != null) {
                    operator[0].close();
                }
                Runtime.getRuntime().halt(0);
            }, "drain-on-sigterm");
            Runtime.getRuntime().addShutdownHook(drain);
            try {
                while (sessions == 0 || server.served() + server.failed() < sessions) {
                    Thread.sleep(100);
                }
            } finally {
                try {
                    Runtime.getRuntime().removeShutdownHook(drain);
                } catch (IllegalStateException shuttingDown) {
                    // the hook is running: it ends the process
                }
                if (operator[0] != null) {
                    operator[0].close();
                }
            }
        }
        return 0;
    }

    /** A log line as one line: control characters from a peer (a protocol name, a message) shown as \\uXXXX. */
    static String escapeForLog(String m) {
        StringBuilder b = new StringBuilder(m.length());
        m.codePoints().forEach(c -> {
            if (Character.isISOControl(c) || c == 0x2028 || c == 0x2029) {
                b.append(String.format("\\u%04x", c));
            } else {
                b.appendCodePoint(c);
            }
        });
        return b.toString();
    }
}
