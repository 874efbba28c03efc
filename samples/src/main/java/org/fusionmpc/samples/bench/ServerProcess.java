package org.fusionmpc.samples.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.fusionmpc.api.channel.Channel;
import org.fusionmpc.api.channel.ChannelConfig;
import org.fusionmpc.api.channel.TlsChannel;
import org.fusionmpc.api.tls.Fingerprint;
import org.fusionmpc.api.tls.TlsConfig;

/**
 * {@code ./fusion server} in the peer namespace of a {@link NetnsLink}, for benches whose link the kernel shapes:
 * the model goes to it as an ONNX file, it serves a known number of sessions over TLS and exits, and this
 * process connects to it once per session, pinning the certificate it wrote.
 */
final class ServerProcess implements AutoCloseable {

    static final int PORT = 7443;

    private final NetnsLink link;
    private final Process process;
    private final Path dir;
    private final Path log;
    private final Fingerprint pin;

    private ServerProcess(NetnsLink link, Process process, Path dir, Path log, Fingerprint pin) {
        this.link = link;
        this.process = process;
        this.dir = dir;
        this.log = log;
        this.pin = pin;
    }

    /**
     * Starts a server of {@code model} for {@code sessions} sessions; {@code options} are more server flags
     * (protocol, threads, claimed accuracy). Returns once it listens.
     */
    static ServerProcess start(NetnsLink link, byte[] model, int sessions, List<String> options) throws IOException, InterruptedException {
        Path dir = Files.createTempDirectory("fusion-bench-server");
        Path onnx = dir.resolve("model.onnx");
        Files.write(onnx, model);
        Path fingerprint = dir.resolve("fingerprint");
        Path log = dir.resolve("server.log");
        List<String> jvm = new ArrayList<>();
        for (String a : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (a.startsWith("-Xmx") || a.startsWith("-Xss")) {
                jvm.add(a);
            }
        }
        List<String> cmd = NetnsLink.javaCommand(jvm, "org.fusionmpc.samples.cli.FusionCli");
        cmd.addAll(List.of("server", "--model", onnx.toString(), "--bind", link.peerAddress(), "--port", Integer.toString(PORT),
                "--fingerprint-file", fingerprint.toString(), "--sessions", Integer.toString(sessions), "--max-sessions", "1",
                "--flush-delay-us", Long.toString(link.flushDelayNanos() / 1000)));
        cmd.addAll(options);
        Process p = new ProcessBuilder(link.inPeerNamespace(cmd)).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        awaitFile(fingerprint, p, log, 120);
        return new ServerProcess(link, p, dir, log, new Fingerprint(Files.readString(fingerprint).strip()));
    }

    /** A new session's channel: TLS to the server across the link, delayed here where the kernel does not delay. */
    Channel connect() {
        TlsConfig tls = TlsConfig.builder().pinPeer(pin).build();
        return link.wrapLocal(TlsChannel.connect(new InetSocketAddress(link.peerAddress(), PORT), ChannelConfig.DEFAULT, tls));
    }

    /** What the server printed, for error messages. */
    String log() {
        try {
            return Files.readString(log).strip();
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    /** Waits briefly for the server to finish its sessions and exit, then ends it and removes its files. */
    @Override
    public void close() throws IOException, InterruptedException {
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        }
    }

    /** Waits for {@code file} to be written by {@code process}; throws with its log if it exits first or takes too long. */
    private static void awaitFile(Path file, Process process, Path log, long seconds) throws IOException, InterruptedException {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (!Files.exists(file) || Files.size(file) == 0) {
            boolean alive = process.isAlive();
            if (!alive || System.nanoTime() > until) {
                process.destroyForcibly();
                String out = Files.exists(log) ? Files.readString(log) : "";
                throw new IOException("the server process " + (alive ? "did not start in " + seconds + " s" : "exited ("
                        + process.waitFor() + ")") + ": " + out.strip());
            }
            Thread.sleep(50);
        }
    }
}
