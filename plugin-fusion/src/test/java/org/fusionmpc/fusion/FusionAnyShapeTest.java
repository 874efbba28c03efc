package org.fusionmpc.fusion;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.fusionmpc.api.testing.TwoParties;
import org.fusionmpc.ring.FixedPoint;
import org.fusionmpc.semihonest.InferenceServer;
import org.fusionmpc.semihonest.Network;
import org.fusionmpc.semihonest.OnnxImporter;
import org.fusionmpc.semihonest.ReferenceNetworks;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fusion on a CIFAR-shaped classifier (3x32x32, {@code cifar-small}) with its public set read from NumPy files:
 * an honest server is accepted with the plaintext model's labels over both channels, a one-class server rejected, and
 * a set or query of another shape refused before anything is computed.
 */
class FusionAnyShapeTest {

    static Network net;
    static LabelledSet publicSet;
    static double[][] queries;
    static FusionServer honest;

    @TempDir
    static Path dir;

    @BeforeAll
    static void setUp() throws Exception {
        net = OnnxImporter.load(ReferenceNetworks.onnx("cifar-small", ReferenceNetworks.DEFAULT_SEED), "cifar-small");
        int n = 400;
        double[][] x = ReferenceNetworks.randomInputs("cifar-small", n + 2, 5);
        ByteBuffer pixels = ByteBuffer.allocate(n * 3072);
        ByteBuffer labels = ByteBuffer.allocate(8 * n).order(ByteOrder.LITTLE_ENDIAN);
        int[] counts = new int[10];
        for (int i = 0; i < n + 2; i++) {
            for (int k = 0; k < 3072; k++) {
                int v = (int) (x[i][k] * 256);
                x[i][k] = v / 255.0;
                if (i < n) {
                    pixels.put((byte) v);
                }
            }
            if (i < n) {
                int label = label(x[i]);
                counts[label]++;
                labels.putLong(label);
            }
        }
        // The labels must spread over the classes, or a one-class server would look right.
        assertTrue(java.util.Arrays.stream(counts).max().getAsInt() < n / 2, java.util.Arrays.toString(counts));
        Files.write(dir.resolve("x.npy"), LabelledSetTest.npy("|u1", new int[] {n, 3, 32, 32}, pixels.array()));
        Files.write(dir.resolve("y.npy"), LabelledSetTest.npy("<i8", new int[] {n}, labels.array()));
        publicSet = LabelledSet.read(dir.resolve("x.npy") + "," + dir.resolve("y.npy"), null);
        publicSet.checkFits(net.inputShape(), net.outputSize());
        queries = new double[][] {x[n], x[n + 1]};
        honest = new FusionServer(new InferenceServer(net, FixedPoint.defaults(), 4096, false), 0.95);
    }

    static int label(double[] x) {
        double[] y = net.forward(x);
        int best = 0;
        for (int i = 1; i < y.length; i++) {
            best = y[i] > y[best] ? i : best;
        }
        return best;
    }

    static FusionClient client() {
        return new FusionClient(publicSet, FusionTargets.DEFAULT_ESCAPE, 0.2, 0.01, 0.05, FusionTargets.DEFAULT_HONEST_FLIP);
    }

    @Test
    void anHonestServerIsAcceptedWithThePlaintextLabelsOverBothChannels() throws Exception {
        for (TwoParties p : TwoParties.values()) {
            Object[] r = p.run(honest::serve, ch -> client().verify(ch, queries, s -> { }));
            FusionReport report = (FusionReport) r[1];
            System.out.println("session: cifar-small honest over " + p + ": " + report.toJson());
            assertEquals(Verdict.ACCEPT, report.verdict(), report.failures().toString());
            assertArrayEquals(new int[] {label(queries[0]), label(queries[1])}, report.labels());
        }
    }

    /** The MNIST model with its check set as NumPy files (N×28×28 uint8 and int64 labels), as a user saves one. */
    @Test
    void anMnistModelWithAnNpyCheckSetIsAccepted() throws Exception {
        org.fusionmpc.semihonest.Mnist.Dataset d = org.fusionmpc.semihonest.Mnist.testSubset();
        int n = 300;
        ByteBuffer pixels = ByteBuffer.allocate(n * 784);
        ByteBuffer labels = ByteBuffer.allocate(8 * n).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < n; i++) {
            for (double v : d.images()[i]) {
                pixels.put((byte) Math.round(v * 255));
            }
            labels.putLong(d.labels()[i]);
        }
        Path npz = dir.resolve("mnist.npz");
        try (java.util.zip.ZipOutputStream z = new java.util.zip.ZipOutputStream(Files.newOutputStream(npz))) {
            z.putNextEntry(new java.util.zip.ZipEntry("x.npy"));
            z.write(LabelledSetTest.npy("|u1", new int[] {n, 28, 28}, pixels.array()));
            z.putNextEntry(new java.util.zip.ZipEntry("y.npy"));
            z.write(LabelledSetTest.npy("<i8", new int[] {n}, labels.array()));
        }
        LabelledSet set = LabelledSet.read(npz.toString(), null);
        Network mlp = OnnxImporter.load(Path.of("..", "models", "secureml-mlp.onnx"));
        set.checkFits(mlp.inputShape(), mlp.outputSize());
        FusionServer server = new FusionServer(new InferenceServer(mlp, FixedPoint.defaults(), 4096, false), 0.97);
        double[][] q = {d.images()[400]};
        Object[] r = TwoParties.IN_MEMORY.run(server::serve,
                ch -> new FusionClient(set, FusionTargets.DEFAULT_ESCAPE, 0.2, 0.01, 0.05, FusionTargets.DEFAULT_HONEST_FLIP).verify(ch, q, s -> { }));
        FusionReport report = (FusionReport) r[1];
        assertEquals(Verdict.ACCEPT, report.verdict(), report.failures().toString());
        double[] y = mlp.forward(q[0]);
        int best = 0;
        for (int k = 1; k < y.length; k++) {
            best = y[k] > y[best] ? k : best;
        }
        assertEquals(best, report.labels()[0]);
    }

    @Test
    void aOneClassServerIsRejected() throws Exception {
        FusionServer cheat = CheatingStrategy.parse("one-class").apply(honest, new Random(1));
        Object[] r = TwoParties.IN_MEMORY.run(cheat::serve, ch -> client().verify(ch, queries, s -> { }));
        FusionReport report = (FusionReport) r[1];
        assertEquals(Verdict.REJECT, report.verdict());
        assertTrue(report.labels() == null || report.labels().length == 0 || !report.accepted());
    }

    @Test
    void aSetOrQueryOfAnotherShapeIsRefusedBeforeAnythingIsComputed() throws Exception {
        // An MNIST-shaped set against the CIFAR-shaped model: the client refuses the model when its architecture arrives.
        FusionClient mnist = client().withPublicSet(LabelledSet.fromMnist(org.fusionmpc.semihonest.Mnist.testSubset()));
        double[][] mnistQuery = {org.fusionmpc.semihonest.Mnist.testSubset().images()[0]};
        Exception e = assertThrows(Exception.class, () -> TwoParties.IN_MEMORY.run(honest::serve, ch -> mnist.verify(ch, mnistQuery, s -> { })));
        Throwable root = e;
        while (root.getCause() != null && !(root.getMessage() != null && root.getMessage().contains("takes inputs of shape"))) {
            root = root.getCause();
        }
        assertTrue(root.getMessage().contains("takes inputs of shape [3, 32, 32]") && root.getMessage().contains("nothing was computed"),
                root.toString());
        // A query of the wrong size is refused by the client before it sends anything.
        IllegalArgumentException q = assertThrows(IllegalArgumentException.class,
                () -> client().verify(null, mnistQuery, s -> { }));
        assertTrue(q.getMessage().contains("784 values") && q.getMessage().contains("3072"), q.getMessage());
    }
}
