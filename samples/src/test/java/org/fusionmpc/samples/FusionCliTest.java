package org.fusionmpc.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.fusionmpc.api.tls.Fingerprint;
import org.fusionmpc.api.tls.TlsIdentity;
import org.fusionmpc.samples.bench.JsonLine;
import org.fusionmpc.samples.cli.FusionCli;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class FusionCliTest {

    /** Runs the command line with stdout captured; returns {exit code, stdout, stderr}. */
    private static Object[] run(String... args) {
        PrintStream original = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        StringWriter err = new StringWriter();
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            CommandLine cli = FusionCli.commandLine();
            cli.setErr(new PrintWriter(err, true));
            int code = cli.execute(args);
            return new Object[] {code, out.toString(StandardCharsets.UTF_8), err.toString()};
        } finally {
            System.setOut(original);
        }
    }

    @Test
    void benchChannelJsonFollowsTheBenchContract() {
        Object[] r = run("bench", "channel", "--json", "--messages", "64", "--pings", "50");
        assertEquals(0, r[0], String.valueOf(r[2]));
        List<String> lines = ((String) r[1]).lines().toList();
        List<String> names = List.of("channel-inmem", "channel-tcp", "channel-tls", "channel-tls-jdk",
                "pingpong-inmem", "pingpong-tcp", "pingpong-tls");
        assertEquals(names.size(), lines.size(), String.valueOf(r[1]));
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            assertTrue(line.startsWith("{\"bench\":\"" + names.get(i) + "\""), line);
            for (String field : List.of("unit", "value", "baseline", "baseline_value", "ratio", "n",
                    "bytes_sent", "bytes_received", "rounds")) {
                assertTrue(line.contains("\"" + field + "\":"), field + " missing in " + line);
            }
            assertTrue(line.contains("\"ok\":true"), line);
            double value = number(line, "value");
            double baseline = number(line, "baseline_value");
            assertEquals(value / baseline, number(line, "ratio"), 1e-3 * value / baseline + 1e-9, line);
        }
        assertTrue(lines.get(0).contains("\"baseline\":\"memcpy\""));
        assertTrue(lines.get(2).contains("\"tls_provider\":\"Conscrypt"), lines.get(2));
    }

    @Test
    void benchOtJsonChecksEveryOtAndCountsIknpTraffic() {
        int n = 1 << 17; // two streamed chunks
        int silent = 1 << 20; // past the bootstrap round's output into the first main round
        Object[] r = run("bench", "ot", "--json", "--ots", Integer.toString(n), "--silent-ots", Integer.toString(silent));
        assertEquals(0, r[0], String.valueOf(r[2]));
        List<String> lines = ((String) r[1]).lines().toList();
        List<String> names = List.of("base-ot", "softspoken-cot", "softspoken-rot", "softspoken-ot", "kkot-16", "silent-cot", "silent-rot");
        assertEquals(names.size(), lines.size(), String.valueOf(r[1]));
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            assertTrue(line.startsWith("{\"bench\":\"" + names.get(i) + "\""), line);
            assertTrue(line.contains("\"ok\":true"), line);
            if (i > 0) {
                assertEquals(i >= 5 ? silent : n, number(line, "n"), line);
                assertTrue(line.contains("\"baseline\":\"aes-blocks\""), line);
                assertEquals(number(line, "value") / number(line, "baseline_value"), number(line, "ratio"),
                        1e-3 * number(line, "ratio"), line);
            }
        }
        // SoftSpokenOT, k = 4: the receiver's 32 correction bits per OT, plus frame headers; nothing else on the wire.
        double cotBytes = number(lines.get(1), "bytes_per_ot");
        assertTrue(cotBytes >= 4 && cotBytes <= 4.5, lines.get(1));
        assertEquals(4.0 * n, number(lines.get(1), "bytes_received"), lines.get(1));
        assertEquals(0, number(lines.get(1), "bytes_sent"), lines.get(1));
        // Chosen 128-bit messages add the two masked messages the sender returns.
        assertEquals(32.0 * n, number(lines.get(3), "bytes_sent"), lines.get(3));
        // Silent, from a fresh setup: the receiver sends only SoftSpokenOT's bootstrap corrections (4 bytes for each of
        // the bootstrap round's K + T·H COTs) and the base OTs; the sender a message per round (bootstrap and one main).
        for (String line : lines.subList(5, 7)) {
            assertTrue(line.contains("\"params\":\"regular-2024\""), line);
            double received = number(line, "bytes_received");
            assertTrue(received >= 4.0 * (36_288 + 1_269 * 9) && received < 4.0 * (36_288 + 1_269 * 9) + 8_000, line);
            double sent = number(line, "bytes_sent");
            double rounds = 16.0 * (1_269 * 19 + 1_295 * 27);
            assertTrue(sent >= rounds && sent < rounds + 8_000, line);
            assertTrue(number(line, "vs_softspoken_cot") > 0, line);
        }
    }

    @Test
    void benchGcJsonChecksOutputsAndCountsTablesAndOts() {
        Object[] r = run("bench", "gc", "--json", "--relus", "2000", "--ands", "200000", "--ot-relus", "4096");
        assertEquals(0, r[0], String.valueOf(r[2]));
        List<String> lines = ((String) r[1]).lines().toList();
        List<String> names = List.of("gc-garble-and", "gc-eval-and", "gc-relu-64", "gc-relu-32", "relu-ot-32", "relu-ot-32", "relu-ot-32-2t",
                "relu-ot-32-2t", "millionaire-32", "millionaire-32");
        assertEquals(names.size(), lines.size(), String.valueOf(r[1]));
        for (int i = 0; i < lines.size(); i++) {
            assertTrue(lines.get(i).startsWith("{\"bench\":\"" + names.get(i) + "\""), lines.get(i));
            assertTrue(lines.get(i).contains("\"ok\":true"), lines.get(i));
            assertTrue(lines.get(i).contains("\"baseline\":\"aes-blocks\""), lines.get(i));
        }
        assertTrue(number(lines.get(0), "n") >= 200000, lines.get(0));
        // A 64-bit ReLU: 189 ANDs of 32 bytes, 129 garbler labels, 64 chosen OTs of labels (a 4-byte SoftSpokenOT
        // correction and two 16-byte masked labels each), 8 bytes of decode bits.
        double perRelu = number(lines.get(2), "bytes_per_relu");
        assertTrue(perRelu >= 189 * 32 + 129 * 16 + 64 * 36 && perRelu < 189 * 32 + 129 * 16 + 64 * 36 + 64, lines.get(2));
        // By the millionaires' comparison, random OTs at 4 bytes (SoftSpokenOT, k = 4): 8 digits of 4 random OTs and
        // 16 two-bit messages (160); 7 bit triples of one random OT each way (56); the AND tree's openings, 3 bits each
        // way for each of 6 pairs and 2 for the last AND (5); 2 additively correlated OTs of one 32-bit message (16):
        // 237 bytes, plus framing.
        // Each OT-based line runs on the silent extension first, then on SoftSpokenOT.
        for (int i = 4; i < 10; i++) {
            assertTrue(lines.get(i).contains("\"ot\":\"" + (i % 2 == 0 ? "silent" : "softspoken") + "\""), lines.get(i));
        }
        double perOtRelu = number(lines.get(5), "bytes_per_relu");
        assertTrue(perOtRelu >= 237 && perOtRelu < 245, lines.get(5));
        // Two threads per party send the same bytes, on either extension.
        assertEquals(perOtRelu, number(lines.get(7), "bytes_per_relu"), lines.get(7));
        assertEquals(number(lines.get(4), "bytes_per_relu"), number(lines.get(6), "bytes_per_relu"), lines.get(6));
        assertEquals(2, number(lines.get(7), "threads"), lines.get(7));
        assertTrue(number(lines.get(4), "speed_vs_softspoken") > 0 && number(lines.get(4), "bytes_vs_softspoken") > 0, lines.get(4));
        assertEquals(4096, number(lines.get(9), "n"), lines.get(9));
    }

    @Test
    void benchRingJsonIsExactAndCountsGilboaTraffic() {
        Object[] r = run("bench", "ring", "--json");
        assertEquals(0, r[0], String.valueOf(r[2]));
        List<String> lines = ((String) r[1]).lines().toList();
        assertEquals(2, lines.size(), String.valueOf(r[1]));
        assertTrue(lines.get(0).startsWith("{\"bench\":\"ring-matvec\""), lines.get(0));
        assertTrue(lines.get(1).startsWith("{\"bench\":\"ring-conv\""), lines.get(1));
        for (String line : lines) {
            assertTrue(line.contains("\"ok\":true") && line.contains("\"baseline\":\"plaintext-long\""), line);
            double perMac = number(line, "bytes_per_mac");
            assertTrue(perMac >= 260 && perMac < 290, line); // 2080 bits of corrections + the OT extension's corrections
        }
        assertEquals(128 * 784, number(lines.get(0), "n"), lines.get(0));
    }

    @Test
    void paramsPrintsTheChoiceAndItsProbabilities() {
        Object[] r = run("params", "--queries", "4", "--claimed-accuracy", "0.98", "--json");
        assertEquals(0, r[0], String.valueOf(r[2]));
        String json = (String) r[1];
        assertTrue(number(json, "escape") <= Math.scalb(1.0, -20), json);
        assertTrue(number(json, "false_alarm") <= 0.001 && number(json, "miss") <= 0.01, json);
        assertEquals(4 * number(json, "replicas") + number(json, "public_slots"), number(json, "slots"), json);
        Object[] text = run("params", "--queries", "4");
        assertTrue(((String) text[1]).contains("replicas: a server corrupting slots blindly"), (String) text[1]);
        Object[] bad = run("params", "--shortfall", "2");
        assertEquals(2, bad[0]);
        assertTrue(((String) bad[2]).contains("shortfall must be in (0, claimed accuracy)"), (String) bad[2]);
    }

    @Test
    void demoAcceptsTheHonestServerAndRejectsACheatingOne() {
        Object[] r = run("demo", "--model", "secureml-mlp", "--queries", "1", "--first-image", "1");
        assertEquals(0, r[0], r[1] + "" + r[2]);
        String out = (String) r[1];
        assertTrue(out.contains("verdict: ACCEPT") && out.matches("(?s).*\\n\\s+1\\s+2\\s+2\\n.*"), out);
        assertTrue(out.contains("bytes: client sent") && out.contains("time:"), out);
        Object[] cheat = run("demo", "--model", "secureml-mlp", "--queries", "1", "--simulate-cheating", "zeroed-weights");
        assertEquals(0, cheat[0], cheat[1] + "" + cheat[2]);
        assertTrue(((String) cheat[1]).contains("verdict: REJECT") && ((String) cheat[1]).contains("(withheld)"), (String) cheat[1]);
        Object[] unknown = run("demo", "--simulate-cheating", "bribery");
        assertEquals(2, unknown[0]);
        assertTrue(((String) unknown[2]).contains("unknown cheating strategy 'bribery'; known: lower-accuracy"), (String) unknown[2]);
    }

    @Test
    void benchInferAndFusionCheckTheirLabelsAgainstOnnxRuntime() {
        Object[] r = run("bench", "infer", "--model", "secureml-mlp", "--images", "3", "--json");
        assertEquals(0, r[0], String.valueOf(r[2]));
        List<String> lines = ((String) r[1]).lines().toList();
        assertEquals(4, lines.size(), (String) r[1]);
        for (int i = 0; i < 3; i++) {
            assertTrue(lines.get(i).startsWith("{\"bench\":\"infer-secureml-mlp\"") && lines.get(i).contains("\"ok\":true")
                    && lines.get(i).contains("\"linear_ms\":") && lines.get(i).contains("\"baseline\":\"onnxruntime\""), lines.get(i));
        }
        assertEquals(1.0, number(lines.get(3), "value"), lines.get(3));

        Object[] f = run("bench", "fusion", "--model", "secureml-mlp", "--q", "1,4", "--shortfall", "0.2", "--miss", "0.05",
                "--false-alarm", "0.01", "--json");
        assertEquals(0, f[0], String.valueOf(f[2]));
        List<String> fl = ((String) f[1]).lines().toList();
        assertEquals(4, fl.size(), (String) f[1]);
        for (String line : fl) {
            assertTrue(line.contains("\"ok\":true") && line.contains("\"baseline\":\"semi-honest-inference\""), line);
        }
        // One session over N slots costs about N single inferences, often less (one setup, fewer rounds).
        assertTrue(number(fl.get(0), "overhead") < 1.5, fl.get(0));
    }

    @Test
    void circuitCommandEvaluatesAHandWrittenBristolAdder(@TempDir Path dir) throws Exception {
        Path adder = dir.resolve("adder2.txt");
        Files.writeString(adder, "4 8\n2 2 2\n1 2\n\n2 1 0 2 6 XOR\n2 1 0 2 4 AND\n2 1 1 3 5 XOR\n2 1 5 4 7 XOR\n");
        Object[] r = run("circuit", adder.toString(), "--inputs", "3,2");
        assertEquals(0, r[0], String.valueOf(r[2]));
        assertTrue(((String) r[1]).contains("output 0: 1 (0x1)"), (String) r[1]); // 3 + 2 mod 4
        Object[] bad = run("circuit", adder.toString(), "--inputs", "3");
        assertEquals(2, bad[0]);
        assertTrue(((String) bad[2]).contains("the circuit has 2 input values; --inputs gave 1"), (String) bad[2]);
    }

    @Test
    void aShortJmhRunWritesJsonResults(@TempDir Path dir) throws Exception {
        Path json = dir.resolve("jmh.json");
        Object[] r = run("jmh", "PrimitiveBenchmarks.prgBlocks", "-f", "1", "-wi", "0", "-i", "1", "-r", "200ms", "-rff", json.toString());
        assertEquals(0, r[0], String.valueOf(r[2]));
        String result = Files.readString(json);
        assertTrue(result.contains("\"benchmark\" : \"org.fusionmpc.samples.jmh.PrimitiveBenchmarks.prgBlocks\"")
                && result.contains("\"primaryMetric\""), result);
    }

    /**
     * Fusion on a CIFAR-shaped ONNX model (3x32x32) over loopback TLS, its check set a folder of colour PNGs with a
     * labels.csv (labelled by the plaintext model): the honest server is accepted, a one-class server rejected, and an
     * MNIST-shaped set is refused before anything connects.
     */
    @Test
    @org.junit.jupiter.api.Timeout(600)
    void fusionOnACifarShapedModelWithAnImageFolderOverTls(@TempDir Path dir) throws Exception {
        byte[] onnx = org.fusionmpc.semihonest.ReferenceNetworks.onnx("cifar-small", 1);
        Path model = dir.resolve("cifar-small.onnx");
        Files.write(model, onnx);
        org.fusionmpc.semihonest.Network net = org.fusionmpc.semihonest.OnnxImporter.load(onnx, "cifar-small");
        double[][] x = org.fusionmpc.semihonest.ReferenceNetworks.randomInputs("cifar-small", 150, 9);
        Path set = Files.createDirectories(dir.resolve("checks"));
        StringBuilder csv = new StringBuilder("file,label\n");
        for (int i = 0; i < x.length; i++) {
            java.awt.image.BufferedImage img = new java.awt.image.BufferedImage(32, 32, java.awt.image.BufferedImage.TYPE_INT_RGB);
            double[] onGrid = new double[3072];
            for (int p = 0; p < 1024; p++) {
                int[] c = new int[3];
                for (int ch = 0; ch < 3; ch++) {
                    c[ch] = (int) (x[i][ch * 1024 + p] * 256);
                    onGrid[ch * 1024 + p] = c[ch] / 255.0;
                }
                img.setRGB(p % 32, p / 32, c[0] << 16 | c[1] << 8 | c[2]);
            }
            javax.imageio.ImageIO.write(img, "png", set.resolve("s" + i + ".png").toFile());
            double[] logits = net.forward(onGrid);
            int label = 0;
            for (int k = 1; k < logits.length; k++) {
                label = logits[k] > logits[label] ? k : label;
            }
            csv.append("s").append(i).append(".png,").append(label).append('\n');
        }
        Files.writeString(set.resolve("labels.csv"), csv);
        String[] common = {"demo", "--model", model.toString(), "--claimed-accuracy", "0.95", "--queries", "2", "--shortfall", "0.2",
            "--public-set", set.toString()};
        Object[] ok = run(common);
        assertEquals(0, ok[0], ok[1] + "" + ok[2]);
        assertTrue(((String) ok[1]).contains("verdict: ACCEPT") && ((String) ok[1]).contains("channel: tls"), (String) ok[1]);
        Object[] cheat = run(java.util.stream.Stream.concat(java.util.Arrays.stream(common), java.util.stream.Stream.of("--simulate-cheating", "one-class"))
                .toArray(String[]::new));
        assertEquals(0, cheat[0], cheat[1] + "" + cheat[2]);
        assertTrue(((String) cheat[1]).contains("verdict: REJECT") && ((String) cheat[1]).contains("(withheld)"), (String) cheat[1]);
        Object[] mnist = run("demo", "--model", model.toString(), "--claimed-accuracy", "0.95", "--queries", "1", "--public-set", "mnist-test-500");
        assertEquals(2, mnist[0], mnist[1] + "" + mnist[2]);
        assertTrue(((String) mnist[2]).contains("do not fit the model's input of shape [3, 32, 32]") && !((String) mnist[1]).contains("channel:"),
                mnist[1] + "" + mnist[2]);
    }

    /** A check set of the user's own images in the query formats, one subdirectory per label (PyTorch's ImageFolder). */
    @Test
    void aCheckSetOfTheUsersOwnImagesInADirectoryIsAccepted(@TempDir Path dir) throws Exception {
        org.fusionmpc.semihonest.Mnist.Dataset d = org.fusionmpc.semihonest.Mnist.testSubset();
        for (int i = 100; i < 300; i++) {
            Path sub = Files.createDirectories(dir.resolve(Integer.toString(d.labels()[i])));
            StringBuilder pgm = new StringBuilder("P2\n28 28\n255\n");
            for (double v : d.images()[i]) {
                pgm.append(Math.round(v * 255)).append(' ');
            }
            Files.writeString(sub.resolve("img" + i + ".pgm"), pgm.toString());
        }
        Object[] ok = run("demo", "--model", "secureml-mlp", "--queries", "1", "--public-set", dir.toString());
        assertEquals(0, ok[0], ok[1] + "" + ok[2]);
        assertTrue(((String) ok[1]).contains("verdict: ACCEPT") && !((String) ok[1]).contains("note: the check set"), (String) ok[1]);
        Files.createDirectories(dir.resolve("cats"));
        Object[] bad = run("demo", "--model", "secureml-mlp", "--queries", "1", "--public-set", dir.toString());
        assertEquals(2, bad[0], String.valueOf(bad[2]));
        assertTrue(((String) bad[2]).contains("subdirectory cats is not a label"), (String) bad[2]);
    }

    /** The image reader refuses what it cannot read right, with the file and the reason, and reads comments and P5. */
    @Test
    void imagesThatCannotBeReadRightAreRefusedClearly(@TempDir Path dir) throws Exception {
        String body = "0 ".repeat(783) + "255";
        Files.writeString(dir.resolve("ok.pgm"), "P2\n# a comment\n28 28\n255\n" + body);
        double[] x = org.fusionmpc.samples.cli.ImageReaderAccess.read(dir.resolve("ok.pgm"));
        assertEquals(1.0, x[783]);
        byte[] p5 = new byte[15 + 784];
        System.arraycopy("P5\n28 28\n255\n".getBytes(StandardCharsets.US_ASCII), 0, p5, 0, 13);
        Files.write(dir.resolve("ok5.pgm"), java.util.Arrays.copyOf(p5, 13 + 784));
        assertEquals(784, org.fusionmpc.samples.cli.ImageReaderAccess.read(dir.resolve("ok5.pgm")).length);
        String[][] bad = {
            {"short.pgm", "P2\n28 28\n255\n1 2 3", "truncated PGM"},
            {"max0.pgm", "P2\n28 28\n0\n" + body, "maxval 0"},
            {"deep.pgm", "P2\n28 28\n65535\n" + body, "maxval 65535"},
            {"over.pgm", "P2\n28 28\n100\n" + body, "above the maxval 100"},
            {"size.pgm", "P2\n27 28\n255\n" + body, "this one is 27x28"},
            {"range.txt", "0 ".repeat(783) + "1.5", "must lie in [0, 1]"},
            {"nan.txt", "0 ".repeat(783) + "NaN", "must lie in [0, 1]"},
            {"word.txt", "0 ".repeat(783) + "x", "is not a number"}};
        for (String[] b : bad) {
            Files.writeString(dir.resolve(b[0]), b[1]);
            IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                    () -> org.fusionmpc.samples.cli.ImageReaderAccess.read(dir.resolve(b[0])), b[0]);
            assertTrue(e.getMessage().contains(b[2]) && e.getMessage().contains(b[0]), b[0] + ": " + e.getMessage());
        }
        Files.write(dir.resolve("short5.pgm"), java.util.Arrays.copyOf(p5, 13 + 700));
        assertTrue(org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> org.fusionmpc.samples.cli.ImageReaderAccess.read(dir.resolve("short5.pgm"))).getMessage().contains("this one 700"));
    }

    /** The server checks its options, files and key pair before it binds or prints anything, and says what is wrong. */
    @Test
    @org.junit.jupiter.api.Timeout(60)
    void aServerWithAMismatchedKeyOrBadOptionsDoesNotStart(@TempDir Path dir) throws Exception {
        assertEquals(0, run("keygen", "--name", "a", "--out", dir.toString())[0]);
        assertEquals(0, run("keygen", "--name", "b", "--out", dir.toString())[0]);
        Object[] mismatched = run("server", "--model", "secureml-mlp", "--port", "0", "--key", dir.resolve("a.key.pem").toString(),
                "--cert", dir.resolve("b.crt.pem").toString());
        assertEquals(2, mismatched[0], mismatched[1] + "" + mismatched[2]);
        assertTrue(((String) mismatched[2]).contains("does not belong to the certificate"), (String) mismatched[2]);
        assertTrue(!((String) mismatched[1]).contains("serving"), (String) mismatched[1]);
        Object[] noSessions = run("server", "--model", "secureml-mlp", "--port", "0", "--max-sessions", "0");
        assertEquals(2, noSessions[0]);
        assertTrue(!((String) noSessions[1]).contains("serving") && ((String) noSessions[2]).contains("--max-sessions"), noSessions[1] + "" + noSessions[2]);
        Object[] missing = run("server", "--model", "secureml-mlp", "--port", "0", "--key", dir.resolve("none.pem").toString(),
                "--cert", dir.resolve("b.crt.pem").toString());
        assertEquals(2, missing[0]);
        assertTrue(((String) missing[2]).contains("no such file"), (String) missing[2]);
    }

    /** The design-aware cheats on the demo: a low claim is refused by the client's floor, mixing slots is rejected. */
    @Test
    void theDemoRefusesALowClaimAndRejectsACrossSlotServer() {
        Object[] low = run("demo", "--model", "secureml-mlp", "--queries", "1", "--simulate-cheating", "low-claim");
        assertEquals(0, low[0], low[1] + "" + low[2]);
        assertTrue(((String) low[1]).contains("refused by the client's policy") && ((String) low[1]).contains("below this client's floor"),
                (String) low[1]);
        Object[] mixed = run("demo", "--model", "secureml-mlp", "--queries", "1", "--simulate-cheating", "cross-slot");
        assertEquals(0, mixed[0], mixed[1] + "" + mixed[2]);
        assertTrue(((String) mixed[1]).contains("verdict: REJECT") && ((String) mixed[1]).contains("claimed 97"), (String) mixed[1]);
    }

    @Test
    void aPublicSetOfTheUsersOwnIdxFilesIsAccepted(@TempDir Path dir) throws Exception {
        Path images = dir.resolve("images.idx");
        Path labels = dir.resolve("labels.idx");
        Path wrong = dir.resolve("two-labels.idx");
        try (var im = org.fusionmpc.semihonest.Mnist.class.getResourceAsStream("mnist-test-500-images-idx3-ubyte");
             var lb = org.fusionmpc.semihonest.Mnist.class.getResourceAsStream("mnist-test-500-labels-idx1-ubyte")) {
            Files.write(images, im.readAllBytes());
            Files.write(labels, lb.readAllBytes());
        }
        Files.write(wrong, new byte[] {0, 0, 8, 1, 0, 0, 0, 2, 7, 2});
        Object[] ok = run("demo", "--model", "secureml-mlp", "--queries", "1", "--public-set", images + "," + labels);
        assertEquals(0, ok[0], ok[1] + "" + ok[2]);
        assertTrue(((String) ok[1]).contains("verdict: ACCEPT"), (String) ok[1]);
        Object[] bad = run("demo", "--model", "secureml-mlp", "--queries", "1", "--public-set", images + "," + wrong);
        assertEquals(1, bad[0], String.valueOf(bad[2]));
        assertTrue(((String) bad[2]).contains("IDX headers disagree: 500 images"), (String) bad[2]);
    }

    @Test
    void jmhSuiteIsPackagedWithEveryPrimitiveBenchmark() {
        PrintStream original = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            assertEquals(0, FusionCli.commandLine().execute("jmh", "-l"));
        } finally {
            System.setOut(original);
        }
        String list = out.toString(StandardCharsets.UTF_8);
        for (String b : List.of("OtBenchmarks.ots", "BaseOtBenchmark.baseOt128", "PrimitiveBenchmarks.aesPermute",
                "PrimitiveBenchmarks.crHash", "PrimitiveBenchmarks.transpose128xN", "PrimitiveBenchmarks.prgBlocks",
                "GcBenchmarks.garbleAnd", "GcBenchmarks.evaluateAnd", "GcBenchmarks.reluOnShares64", "RingBenchmarks.matvec784x128", "ChannelBenchmarks.roundTrip")) {
            assertTrue(list.contains(b), b + " missing from " + list);
        }
    }

    private static double number(String json, String field) {
        Matcher m = Pattern.compile("\"" + field + "\":([-0-9.eE+]+)").matcher(json);
        assertTrue(m.find(), field + " in " + json);
        return Double.parseDouble(m.group(1));
    }

    @Test
    void unknownBenchmarkIsAClearErrorWithAFailingExitCode() {
        Object[] r = run("bench", "nonsense");
        assertEquals(2, r[0]);
        assertTrue(((String) r[2]).contains("unknown benchmark 'nonsense'; known: channel, ot, gc, ring"), (String) r[2]);
    }

    @Test
    void aClientWithABadRingOrThreadCountIsRefusedBeforeItConnects() {
        // Port 1 on loopback has no server: a connection attempt would fail with a connect error instead.
        String pin = "00".repeat(32);
        Object[] ring = run("client", "--connect", "127.0.0.1:1", "--pin", pin, "--mnist-index", "0", "--ring-bits", "50");
        assertEquals(2, ring[0]);
        assertTrue(((String) ring[2]).contains("the he linear engine runs on shares of 32..41 bits, not 50"), (String) ring[2]);
        Object[] ot = run("client", "--connect", "127.0.0.1:1", "--pin", pin, "--mnist-index", "0", "--linear", "ot", "--ring-bits", "37");
        assertTrue(((String) ot[2]).contains("the ot linear engine runs on shares of 64 bits, not 37"), (String) ot[2]);
        Object[] threads = run("client", "--connect", "127.0.0.1:1", "--pin", pin, "--mnist-index", "0", "--threads", "9");
        assertTrue(((String) threads[2]).contains("threads must be 1..8, got 9"), (String) threads[2]);
        Object[] shaping = run("bench", "infer", "--model", "secureml-mlp", "--images", "1", "--wan", "1gbit:1ms", "--shaping", "netem");
        assertEquals(2, shaping[0]);
        assertTrue(((String) shaping[2]).contains("--shaping is auto, kernel or in-process, not 'netem'"), (String) shaping[2]);
    }

    @Test
    void keygenWritesAPairWhoseFingerprintItPrints(@TempDir Path dir) throws Exception {
        Object[] r = run("keygen", "--name", "alice", "--out", dir.toString());
        assertEquals(0, r[0], String.valueOf(r[2]));
        TlsIdentity id = TlsIdentity.readPem(dir.resolve("alice.key.pem"), dir.resolve("alice.crt.pem"));
        Matcher m = Pattern.compile("fingerprint: ([0-9a-f]{64})").matcher((String) r[1]);
        assertTrue(m.find(), (String) r[1]);
        assertEquals(id.fingerprint(), new Fingerprint(m.group(1)));
        // A second run refuses to overwrite the key.
        Object[] again = run("keygen", "--name", "alice", "--out", dir.toString());
        assertEquals(2, again[0]);
        assertTrue(Files.exists(dir.resolve("alice.key.pem")));
    }

    @Test
    void jsonLinesEscapeStringsAndWriteNumbersPlainly() {
        String json = new JsonLine("x\"y", "MB/s", 1500.0).baseline("b\\", 3000.0).put("n", 7).put("ok", true).toJson();
        assertEquals("{\"bench\":\"x\\\"y\",\"unit\":\"MB/s\",\"value\":1500,\"baseline\":\"b\\\\\","
                + "\"baseline_value\":3000,\"ratio\":0.5,\"n\":7,\"ok\":true}", json);
    }
}
