package org.fusionmpc.semihonest;

import org.fusionmpc.api.testing.TwoParties;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.stream.Stream;
import org.fusionmpc.ring.FixedPoint;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The committed MNIST models: import matches ONNX Runtime, secure inference matches it on real test images. */
class ModelsTest {

    static final Path MODELS = Path.of("..", "models");
    static final long[] MNIST_SHAPE = {1, 1, 28, 28};
    /** Images per model in CI with the default engines; ./fusion bench infer runs 1000. */
    static final int IMAGES = Integer.getInteger("fusion.test.images", 100);
    /**
     * Images per model with an engine swapped for its alternative: fewer, as the OT linear engine costs a second
     * or more per image on this machine kind and CI must stay well under its 30 minutes.
     */
    static final int ALTERNATIVE_IMAGES = Integer.getInteger("fusion.test.alternative-images", 30);
    /** Logits: fixed point with f = 12 leaves a few thousandths of error per layer. */
    static final double LOGIT_TOLERANCE = 0.05;

    static Stream<Arguments> models() {
        return Stream.of("secureml-mlp", "minionn-cnn", "lenet5-bn").map(Arguments::of);
    }

    /** The defaults (he, ot), each engine swapped for its alternative, on every model. */
    static Stream<Arguments> modelsAndEngines() {
        return Stream.of("secureml-mlp", "minionn-cnn", "lenet5-bn").flatMap(m -> Stream.of(
                Arguments.of(m, LinearMode.HE, ComparisonMode.OT), Arguments.of(m, LinearMode.HE, ComparisonMode.GC),
                Arguments.of(m, LinearMode.OT, ComparisonMode.GC)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("models")
    void importedNetworkComputesWhatOnnxRuntimeComputes(String name) throws Exception {
        Network net = OnnxImporter.load(MODELS.resolve(name + ".onnx"));
        Mnist.Dataset data = Mnist.testSubset().first(50);
        try (OnnxRuntimeReference ort = new OnnxRuntimeReference(MODELS.resolve(name + ".onnx"), MNIST_SHAPE)) {
            for (int i = 0; i < data.size(); i++) {
                assertArrayEquals(ort.logits(data.images()[i]), net.forward(data.images()[i]), 1e-3, name + " image " + i);
            }
        }
    }

    @ParameterizedTest(name = "{0} {1} {2}")
    @MethodSource("modelsAndEngines")
    void secureLabelsAndLogitsAgreeWithOnnxRuntime(String name, LinearMode linear, ComparisonMode cmp) throws Exception {
        Network net = OnnxImporter.load(MODELS.resolve(name + ".onnx"));
        int images = linear == LinearMode.DEFAULT && cmp == ComparisonMode.DEFAULT ? IMAGES : ALTERNATIVE_IMAGES;
        Mnist.Dataset data = Mnist.testSubset().first(images);
        InferenceServer server = new InferenceServer(net, FixedPoint.defaults(), 4096, true);
        Object[] labels = TwoParties.IN_MEMORY.run(server::serve, ch -> new InferenceClient(OutputMode.LABEL, linear, cmp).classify(ch, data.images()));
        InferenceResult r = (InferenceResult) labels[1];
        int agree = 0;
        int correct = 0;
        try (OnnxRuntimeReference ort = new OnnxRuntimeReference(MODELS.resolve(name + ".onnx"), MNIST_SHAPE)) {
            for (int i = 0; i < data.size(); i++) {
                int want = OnnxRuntimeReference.argmax(ort.logits(data.images()[i]));
                agree += r.labels()[i] == want ? 1 : 0;
                correct += r.labels()[i] == data.labels()[i] ? 1 : 0;
            }
            System.out.printf("%s (%s, %s): %d/%d secure labels agree with ONNX Runtime, %d correct; %.1f ms and %.1f MB per image%n",
                    name, linear, cmp, agree, data.size(), correct, r.nanos() / 1e6 / data.size(),
                    (r.bytesSent() + r.bytesReceived()) / 1e6 / data.size());
            assertTrue(agree >= Math.ceil(0.995 * data.size()), name + ": only " + agree + "/" + data.size() + " agree");
            assertEquals(images, (int) labels[0]);

            // Logits of a few images, revealed to the client, within the fixed-point tolerance.
            Mnist.Dataset few = data.first(5);
            Object[] logits = TwoParties.IN_MEMORY.run(server::serve, ch -> new InferenceClient(OutputMode.LOGITS, linear, cmp).classify(ch, few.images()));
            InferenceResult l = (InferenceResult) logits[1];
            for (int i = 0; i < few.size(); i++) {
                assertArrayEquals(ort.logits(few.images()[i]), l.logits()[i], LOGIT_TOLERANCE, name + " logits of image " + i);
            }
        }
    }

    static Stream<Arguments> otExtensions() {
        return Stream.of(TwoParties.values()).flatMap(t -> Stream.of(org.fusionmpc.ot.OtExtension.values()).flatMap(ot ->
                Stream.of(ComparisonMode.values()).map(cmp -> Arguments.of(t, ot, cmp))));
    }

    /** Every OT of the session (comparisons, garbled-circuit labels, products) on either extension, over both channels. */
    @ParameterizedTest(name = "{0} {1} {2}")
    @MethodSource("otExtensions")
    void eitherOtExtensionGivesOnnxRuntimesLabels(TwoParties parties, org.fusionmpc.ot.OtExtension ot, ComparisonMode cmp) throws Exception {
        String name = "secureml-mlp";
        Network net = OnnxImporter.load(MODELS.resolve(name + ".onnx"));
        Mnist.Dataset data = Mnist.testSubset().first(12);
        InferenceServer server = new InferenceServer(net, FixedPoint.defaults(), 4096, true);
        Object[] labels = parties.run(server::serve, ch -> new InferenceClient(OutputMode.LABEL, LinearMode.HE, cmp).withOt(ot)
                .classify(ch, data.images()));
        InferenceResult r = (InferenceResult) labels[1];
        try (OnnxRuntimeReference ort = new OnnxRuntimeReference(MODELS.resolve(name + ".onnx"), MNIST_SHAPE)) {
            int agree = 0;
            for (int i = 0; i < data.size(); i++) {
                agree += r.labels()[i] == OnnxRuntimeReference.argmax(ort.logits(data.images()[i])) ? 1 : 0;
            }
            System.out.printf("%s %s %s %s: %d/%d agree; %.2f MB in all%n", name, parties, ot.id(), cmp, agree, data.size(),
                    (r.bytesSent() + r.bytesReceived()) / 1e6);
            assertEquals(data.size(), agree, "labels on the " + ot.id() + " OT extension");
        }
    }
}
