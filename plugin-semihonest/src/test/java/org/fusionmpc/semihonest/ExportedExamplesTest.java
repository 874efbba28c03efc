package org.fusionmpc.semihonest;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.fusionmpc.api.testing.TwoParties;
import org.fusionmpc.ring.FixedPoint;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The examples of the models page, exported from PyTorch 1.13 with plain {@code torch.onnx.export} by
 * {@code tools/export_examples.py} (committed, unedited): each runs securely and agrees with ONNX Runtime on MNIST
 * test images, over both channels and both engine pairs; the {@code -refused} ones are refused naming the layer the
 * user wrote.
 */
class ExportedExamplesTest {

    static final Path EXAMPLES = Path.of("..", "models", "examples");

    static Stream<String> runnable() throws IOException {
        try (Stream<Path> s = Files.list(EXAMPLES)) {
            return s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".onnx") && !n.endsWith("-refused.onnx"))
                    .map(n -> n.substring(0, n.length() - 5)).sorted().toList().stream();
        }
    }

    @Test
    void everyExampleOfThePageIsHere() throws IOException {
        assertTrue(runnable().count() >= 10, runnable().toList().toString());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("runnable")
    void runsSecurelyAndAgreesWithOnnxRuntime(String name) throws Exception {
        Path file = EXAMPLES.resolve(name + ".onnx");
        Network net = OnnxImporter.load(file);
        double[][] images = java.util.Arrays.copyOfRange(Mnist.testSubset().images(), 20, 23);
        InferenceServer server = new InferenceServer(net, FixedPoint.defaults(), 16, true);
        try (OnnxRuntimeReference ort = new OnnxRuntimeReference(file, new long[] {1, 1, 28, 28})) {
            for (TwoParties parties : TwoParties.values()) {
                for (LinearMode linear : LinearMode.values()) {
                    ComparisonMode cmp = linear == LinearMode.HE ? ComparisonMode.OT : ComparisonMode.GC;
                    Object[] got = parties.run(server::serve, ch -> new InferenceClient(OutputMode.LOGITS, linear, cmp).classify(ch, images));
                    InferenceResult r = (InferenceResult) got[1];
                    for (int i = 0; i < images.length; i++) {
                        double[] want = ort.logits(images[i]);
                        assertArrayEquals(want, net.forward(images[i]), 1e-4, name + ": import, image " + i);
                        assertArrayEquals(want, r.logits()[i], 0.02, name + " over " + parties + " with " + linear + "/" + cmp + ", image " + i);
                    }
                }
            }
        }
    }

    @Test
    void nonReluActivationsAreRefusedByTheNamesTheUserWrote() {
        ModelException gelu = assertThrows(ModelException.class, () -> OnnxImporter.load(EXAMPLES.resolve("gelu-refused.onnx")));
        assertTrue(gelu.getMessage().contains("GELU (nn.GELU") && gelu.getMessage().contains("(Erf)"), gelu.getMessage());
        ModelException silu = assertThrows(ModelException.class, () -> OnnxImporter.load(EXAMPLES.resolve("silu-refused.onnx")));
        assertTrue(silu.getMessage().contains("SiLU/Swish"), silu.getMessage());
        ModelException both = assertThrows(ModelException.class, () -> OnnxImporter.load(EXAMPLES.resolve("sigmoid-tanh-refused.onnx")));
        assertTrue(both.getMessage().contains("2 nodes are not supported") && both.getMessage().contains("(Sigmoid)")
                && both.getMessage().contains("(Tanh)") && both.getMessage().contains("an activation other than ReLU"), both.getMessage());
    }
}
