package org.fusionmpc.samples.cli;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.file.Path;

/**
 * Coverage-guided fuzzing (Jazzer) of the PGM reader a client's query or check image goes through: any bytes must be
 * read as 784 values in [0, 1] or refused with an {@link IllegalArgumentException} naming the file, never another
 * exception. Without {@code JAZZER_FUZZ} this runs the committed inputs as regression tests.
 */
class ImageFuzzTest {

    @FuzzTest(maxDuration = "10s")
    void pgm(byte[] data) {
        if (data.length < 2 || data[0] != 'P' || data[1] != '2' && data[1] != '5') {
            return; // not a PGM: the reader would try the other formats
        }
        try {
            double[] x = ClientCommand.readPgm(Path.of("fuzz.pgm"), data);
            if (x.length != 784) {
                throw new AssertionError(x.length + " values");
            }
            for (double v : x) {
                if (!(v >= 0 && v <= 1)) {
                    throw new AssertionError("a value outside [0, 1]: " + v);
                }
            }
        } catch (IllegalArgumentException expected) {
            if (!expected.getMessage().contains("fuzz.pgm")) {
                throw new AssertionError("a refusal that does not name the file: " + expected.getMessage());
            }
        }
    }
}
