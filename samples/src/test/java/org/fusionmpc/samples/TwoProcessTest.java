package org.fusionmpc.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.FloatBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.fusionmpc.samples.cli.FusionCli;
import org.fusionmpc.semihonest.Mnist;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** `./fusion server` in its own JVM, `./fusion client` in this one, over loopback TLS with the pinned certificate. */
class TwoProcessTest {

    /** Starts the server process; returns {process, port, fingerprint}. */
    static Object[] server(Path dir, String... args) throws Exception {
        return server(dir, List.of(), args);
    }

    static Object[] server(Path dir, List<String> jvmOptions, String... args) throws Exception {
        Path fp = dir.resolve("fingerprint");
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        cmd.addAll(jvmOptions);
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), FusionCli.class.getName(), "server", "--port", "0",
                "--fingerprint-file", fp.toString()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        Pattern port = Pattern.compile("on 127\\.0\\.0\\.1:(\\d+)");
        for (String line; (line = out.readLine()) != null; ) {
            Matcher m = port.matcher(line);
            if (m.find()) {
                Thread drain = new Thread(() -> out.lines().forEach(l -> System.out.println("server process: " + l)));
                drain.setDaemon(true);
                drain.start();
                return new Object[] {p, Integer.parseInt(m.group(1)), Files.readString(fp).strip()};
            }
            System.out.println("server process: " + line);
        }
        throw new AssertionError("the server process ended without listening: exit " + p.waitFor());
    }

    static String client(String... args) {
        PrintStream original = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            int code = FusionCli.commandLine().execute(args);
            System.out.flush();
            return code + "\n" + out.toString(StandardCharsets.UTF_8);
        } finally {
            System.setOut(original);
        }
    }

    @Test
    @Timeout(value = 300, unit = TimeUnit.SECONDS)
    void semiHonestLabelsOverTlsBetweenTwoProcessesEqualOnnxRuntime(@TempDir Path dir) throws Exception {
        Object[] s = server(dir, "--model", "secureml-mlp", "--protocol", "semi-honest", "--sessions", "1");
        Process p = (Process) s[0];
        try {
            String out = client("client", "--connect", "127.0.0.1:" + s[1], "--pin", (String) s[2], "--protocol", "semi-honest",
                    "--mnist-index", "10", "--count", "8");
            System.out.println(out);
            assertTrue(out.startsWith("0\n"), out);
            Matcher m = Pattern.compile("input (\\d+): label (\\d+)").matcher(out);
            byte[] model;
            try (var in = FusionCli.class.getResourceAsStream("/org/fusionmpc/samples/models/secureml-mlp.onnx")) {
                model = in.readAllBytes();
            }
            OrtEnvironment env = OrtEnvironment.getEnvironment();
            Mnist.Dataset d = Mnist.testSubset();
            int seen = 0;
            try (OrtSession ort = env.createSession(model, new OrtSession.SessionOptions())) {
                while (m.find()) {
                    int i = Integer.parseInt(m.group(1));
                    float[] x = new float[784];
                    for (int k = 0; k < 784; k++) {
                        x[k] = (float) d.images()[10 + i][k];
                    }
                    try (OnnxTensor t = OnnxTensor.createTensor(env, FloatBuffer.wrap(x), new long[] {1, 1, 28, 28});
                         OrtSession.Result r = ort.run(Map.of("input", t))) {
                        float[] y = ((float[][]) r.get(0).getValue())[0];
                        int best = 0;
                        for (int c = 1; c < y.length; c++) {
                            best = y[c] > y[best] ? c : best;
                        }
                        assertEquals(best, Integer.parseInt(m.group(2)), "image " + (10 + i));
                    }
                    seen++;
                }
            }
            assertEquals(8, seen, out);
            assertEquals(0, p.waitFor(60, TimeUnit.SECONDS) ? p.exitValue() : -1, "server exit");
        } finally {
            p.destroyForcibly();
        }
    }

    @Test
    @Timeout(value = 300, unit = TimeUnit.SECONDS)
    void fusionAcceptsAnHonestServerAndRejectsACheatingOneAcrossProcesses(@TempDir Path dir) throws Exception {
        String[] loose = {"--shortfall", "0.2", "--miss", "0.05", "--false-alarm", "0.01"};
        for (String cheat : new String[] {null, "one-class"}) {
            List<String> args = new ArrayList<>(List.of("--model", "secureml-mlp", "--sessions", "1"));
            if (cheat != null) {
                args.addAll(List.of("--simulate-cheating", cheat));
            }
            Object[] s = server(dir, args.toArray(String[]::new));
            Process p = (Process) s[0];
            try {
                List<String> c = new ArrayList<>(List.of("client", "--connect", "127.0.0.1:" + s[1], "--pin", (String) s[2],
                        "--mnist-index", "0", "--report", dir.resolve("report.json").toString()));
                c.addAll(List.of(loose));
                String out = client(c.toArray(String[]::new));
                System.out.println(out);
                String report = Files.readString(dir.resolve("report.json"));
                if (cheat == null) {
                    assertTrue(out.startsWith("0\n") && out.contains("verdict: ACCEPT") && out.contains("input 0: label 7 (true 7)"), out);
                    assertTrue(report.startsWith("{\"verdict\":\"ACCEPT\""), report);
                } else {
                    assertTrue(out.startsWith("3\n") && out.contains("verdict: REJECT") && out.contains("(withheld)"), out);
                    assertTrue(report.startsWith("{\"verdict\":\"REJECT\"") && report.contains("\"labels\":null"), report);
                }
                p.waitFor(60, TimeUnit.SECONDS);
            } finally {
                p.destroyForcibly();
            }
        }
    }

    /**
     * Four Fusion clients at once, each asking for the largest session the server takes (--max-batch slots), against a
     * server whose heap is sized so that its default budget (3/4 of the heap) admits two and a half of them: the
     * budget admits two, refuses the others with the number that fits, and the server, whose heap holds the admitted
     * sessions only if the estimate bounds what they really take, never runs out of memory and serves again after.
     */
    @Test
    @Timeout(value = 600, unit = TimeUnit.SECONDS)
    void fourConcurrentMaximalFusionSessionsStayInsideTheMemoryBudget(@TempDir Path dir) throws Exception {
        int maxBatch = 256;
        org.fusionmpc.semihonest.Network net = org.fusionmpc.semihonest.OnnxImporter.load(Path.of("..", "models", "secureml-mlp.onnx"));
        long one = new org.fusionmpc.semihonest.InferenceServer(net, org.fusionmpc.ring.FixedPoint.defaults(), maxBatch, false)
                .withThreads(2).sessionBytes(org.fusionmpc.semihonest.LinearMode.HE, maxBatch);
        long heapMb = (long) Math.ceil(2.5 * one / 0.75 / (1 << 20));
        System.out.printf("memory: one session of %d slots is admitted for %.0f MB; server heap %d MB%n", maxBatch, one / 1e6, heapMb);
        Object[] s = server(dir, List.of("-Xmx" + heapMb + "m", "-XX:+ExitOnOutOfMemoryError"), "--model", "secureml-mlp",
                "--max-batch", String.valueOf(maxBatch), "--max-sessions", "4", "--threads", "2");
        Process p = (Process) s[0];
        // The bundled 500 images, four times over, so that the session can be padded to --max-batch check slots.
        Mnist.Dataset bundled = Mnist.testSubset();
        double[][] images = new double[4 * bundled.size()][];
        int[] labels = new int[images.length];
        for (int i = 0; i < images.length; i++) {
            images[i] = bundled.images()[i % bundled.size()];
            labels[i] = bundled.labels()[i % bundled.size()];
        }
        // Targets loose enough for a session under 256 slots, padded to the maximum.
        org.fusionmpc.fusion.FusionClient fc = new org.fusionmpc.fusion.FusionClient(org.fusionmpc.fusion.LabelledSet.fromMnist(new Mnist.Dataset(images, labels)),
                org.fusionmpc.fusion.FusionTargets.DEFAULT_ESCAPE, 0.2, 0.01, 0.05, org.fusionmpc.fusion.FusionTargets.DEFAULT_HONEST_FLIP)
                .withSlotBucket(maxBatch).withCaps(maxBatch, Long.MAX_VALUE);
        var tls = org.fusionmpc.api.tls.TlsConfig.builder().pinPeer(new org.fusionmpc.api.tls.Fingerprint((String) s[2])).build();
        var address = new java.net.InetSocketAddress("127.0.0.1", (Integer) s[1]);
        try {
            List<java.util.concurrent.CompletableFuture<Object>> clients = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                double[][] query = {bundled.images()[i]};
                clients.add(java.util.concurrent.CompletableFuture.supplyAsync(() -> {
                    try (var ch = org.fusionmpc.api.channel.TlsChannel.connect(address, org.fusionmpc.api.channel.ChannelConfig.DEFAULT, tls)) {
                        return fc.verify(ch, query, m -> { });
                    } catch (org.fusionmpc.api.channel.ChannelException e) {
                        return e;
                    }
                }));
            }
            int served = 0;
            int refused = 0;
            for (var c : clients) {
                Object r = c.get(500, TimeUnit.SECONDS);
                if (r instanceof org.fusionmpc.fusion.FusionReport report) {
                    assertEquals(maxBatch, report.params().slots());
                    assertTrue(report.accepted(), report.failures().toString());
                    served++;
                } else {
                    var e = (org.fusionmpc.api.channel.ChannelException) r;
                    assertEquals(org.fusionmpc.api.channel.ChannelException.Kind.REFUSED, e.kind(), e.toString());
                    assertTrue(e.getMessage().contains("memory budget admits"), e.getMessage());
                    refused++;
                }
            }
            System.out.printf("memory: 4 concurrent sessions of %d slots: %d served, %d refused by the budget%n", maxBatch, served, refused);
            assertTrue(served >= 2, served + " served");
            assertEquals(4, served + refused);
            assertTrue(p.isAlive(), "the server process is alive (it exits on OutOfMemoryError)");
            try (var ch = org.fusionmpc.api.channel.TlsChannel.connect(address, org.fusionmpc.api.channel.ChannelConfig.DEFAULT, tls)) {
                assertTrue(fc.verify(ch, new double[][] {bundled.images()[9]}, m -> { }).accepted(), "served again after");
            }
        } finally {
            p.destroyForcibly();
        }
    }

    static String get(int port, String path) throws Exception {
        java.net.http.HttpResponse<String> r = java.net.http.HttpClient.newHttpClient().send(
                java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + port + path)).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        return r.statusCode() + " " + r.body();
    }

    static double metric(int port, String name) throws Exception {
        Matcher m = Pattern.compile("(?m)^" + name + " (\\S+)$").matcher(get(port, "/metrics"));
        return m.find() ? Double.parseDouble(m.group(1)) : Double.NaN;
    }

    /**
     * The operator's basics across processes: /healthz and /readyz answer, /metrics counts a known session and its
     * bytes, and SIGTERM during a session reports not ready, lets the session finish and exits 0.
     */
    @Test
    @Timeout(value = 300, unit = TimeUnit.SECONDS)
    void sigtermDrainsTheRunningSessionExitsZeroAndTheMetricsCountWhatRan(@TempDir Path dir) throws Exception {
        int health;
        try (java.net.ServerSocket free = new java.net.ServerSocket(0)) {
            health = free.getLocalPort();
        }
        Object[] s = server(dir, "--model", "secureml-mlp", "--health-port", Integer.toString(health), "--drain-seconds", "120");
        Process p = (Process) s[0];
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            String ready = "";
            while (!ready.startsWith("200") && System.nanoTime() < deadline) {
                try {
                    ready = get(health, "/readyz");
                } catch (java.io.IOException notYet) {
                    Thread.sleep(100);
                }
            }
            assertTrue(ready.startsWith("200 ready"), ready);
            assertTrue(get(health, "/healthz").startsWith("200 alive"));
            String[] session = {"client", "--connect", "127.0.0.1:" + s[1], "--pin", (String) s[2], "--mnist-index", "0", "--count", "2",
                "--shortfall", "0.2", "--miss", "0.05", "--false-alarm", "0.01"};
            String first = client(session);
            assertTrue(first.startsWith("0\n") && first.contains("verdict: ACCEPT"), first);
            deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (metric(health, "fusion_sessions_served_total") < 1 && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertEquals(1.0, metric(health, "fusion_sessions_served_total"));
            assertEquals(1.0, metric(health, "fusion_session_seconds_count"));
            assertTrue(metric(health, "fusion_session_received_bytes_total") > 1e6, "bytes counted");
            // A second session, and SIGTERM while it runs.
            java.util.concurrent.CompletableFuture<String> second = java.util.concurrent.CompletableFuture.supplyAsync(() -> client(session));
            deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (metric(health, "fusion_sessions_active") < 1 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertEquals(1.0, metric(health, "fusion_sessions_active"));
            p.destroy(); // SIGTERM
            String draining = "";
            deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (!draining.startsWith("503") && System.nanoTime() < deadline) {
                draining = get(health, "/readyz");
            }
            assertTrue(draining.startsWith("503 draining"), draining);
            String out = second.get(120, TimeUnit.SECONDS);
            assertTrue(out.startsWith("0\n") && out.contains("verdict: ACCEPT"), "the running session finishes: " + out);
            assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the server exits after draining");
            assertEquals(0, p.exitValue());
        } finally {
            p.destroyForcibly();
        }
    }
}
