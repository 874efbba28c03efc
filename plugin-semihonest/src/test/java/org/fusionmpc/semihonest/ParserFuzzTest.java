package org.fusionmpc.semihonest;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Coverage-guided fuzzing (Jazzer) of what a server's bytes or a model file reach on the client and importer side:
 * every input must end in a {@link ModelException} or be read within bounds; anything else (another exception, a
 * hang, a large allocation) is a finding. Without {@code JAZZER_FUZZ} these run the committed inputs under
 * {@code src/test/resources/.../ParserFuzzTestInputs} as regression tests.
 */
class ParserFuzzTest {

    @FuzzTest(maxDuration = "10s")
    void architecture(byte[] data) {
        try {
            Network n = Network.parse(data);
            if (n.largestActivation() > 1 << 24) {
                throw new AssertionError("a layer beyond the bound was read: " + n);
            }
        } catch (ModelException expected) {
            // refused clearly
        }
    }

    @FuzzTest(maxDuration = "10s")
    void onnxModel(byte[] data) {
        try {
            OnnxImporter.load(data, "fuzz");
        } catch (ModelException expected) {
            // refused clearly
        }
    }
}
