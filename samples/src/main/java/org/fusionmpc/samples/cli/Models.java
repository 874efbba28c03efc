package org.fusionmpc.samples.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.fusionmpc.semihonest.Network;
import org.fusionmpc.semihonest.OnnxImporter;

/** The bundled MNIST models (by name) or an ONNX file (by path), and the accuracies measured for the bundled ones. */
final class Models {

    /** Test accuracy on the full 10,000 MNIST test images (models/README.md). */
    static final Map<String, Double> ACCURACY = Map.of("secureml-mlp", 0.9715, "minionn-cnn", 0.9867, "lenet5-bn", 0.9882);

    private Models() {
    }

    static Network load(String nameOrPath) throws IOException {
        if (ACCURACY.containsKey(nameOrPath)) {
            return OnnxImporter.load(bytes(nameOrPath), nameOrPath);
        }
        Path p = Path.of(nameOrPath);
        if (!Files.exists(p)) {
            throw new IllegalArgumentException("no model '" + nameOrPath + "': give an ONNX file or one of " + ACCURACY.keySet());
        }
        return OnnxImporter.load(p);
    }

    /** The model file's bytes (bundled or on disk), for the importer and ONNX Runtime. */
    static byte[] bytes(String nameOrPath) throws IOException {
        if (ACCURACY.containsKey(nameOrPath)) {
            try (InputStream in = Models.class.getResourceAsStream("/org/fusionmpc/samples/models/" + nameOrPath + ".onnx")) {
                if (in == null) {
                    throw new IllegalStateException("bundled model " + nameOrPath + " is missing from the jar");
                }
                return in.readAllBytes();
            }
        }
        return Files.readAllBytes(Path.of(nameOrPath));
    }
}
