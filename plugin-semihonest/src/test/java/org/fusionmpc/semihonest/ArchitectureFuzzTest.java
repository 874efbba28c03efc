package org.fusionmpc.semihonest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The architecture a server sends is the server's to choose: sizes that wrap around in int arithmetic, malformed
 * geometries and random bytes are refused with a {@link ModelException}, never read as a small network or thrown
 * as another exception.
 */
class ArchitectureFuzzTest {

    /** Format 4 with one layer of the given kind and fields after an input shape, no output activation, no input normalisation. */
    static byte[] architecture(int[] shape, char kind, int... fields) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(4);
            out.writeUTF("hostile");
            out.writeInt(shape.length);
            for (int d : shape) {
                out.writeInt(d);
            }
            out.writeInt(1);
            out.writeByte(kind);
            out.writeInt(fields.length);
            for (int f : fields) {
                out.writeInt(f);
            }
            out.writeByte(0);
            out.writeInt(0);
        }
        return bytes.toByteArray();
    }

    @Test
    void sizesThatWrapAroundInIntArithmeticAreRefused() throws Exception {
        int big = 1 << 24;
        // c·h·w = 2^72 wraps to 0 as ints; 2^12·2^12·2^8 = 2^32 wraps to 0 too; the input shape likewise.
        for (byte[] a : List.of(
                architecture(new int[] {1}, 'C', big, big, big, 1, 1, 1, 1, 0, 1),
                architecture(new int[] {1}, 'C', 1 << 12, 1 << 12, 1 << 8, 1, 1, 1, 1, 0, 1),
                architecture(new int[] {1 << 12, 1 << 12, 1 << 8}, 'R', 1),
                architecture(new int[] {1}, 'M', 1 << 12, 1 << 12, 1 << 8, 2, 2, 0),
                architecture(new int[] {1}, 'C', 1, 28, 28, 16, 5, 5, 0, 0, 1), // stride 0
                architecture(new int[] {1}, 'C', 1, 28, 28, 16, 40, 5, 1, 0, 1), // kernel larger than the input
                architecture(new int[] {1}, 'C', 3, 28, 28, 16, 5, 5, 1, 0, 2), // groups not dividing channels
                architecture(new int[] {1}, 'D', 10),
                architecture(new int[] {4}, 'J', 0, 4, Integer.MAX_VALUE), // a concatenation past the size bound
                architecture(new int[] {4}, 'J', 0, 4))) { // a concatenation missing its saved size
            ModelException e = assertThrows(ModelException.class, () -> Network.parse(a));
            assertTrue(e.getMessage().contains("architecture"), e.getMessage());
        }
        // A concatenation that reads a slot nothing saved is refused when the network is checked.
        ModelException unsaved = assertThrows(ModelException.class, () -> Network.parse(architecture(new int[] {4}, 'J', 3, 4, 4)));
        assertTrue(unsaved.getMessage().contains("reads slot 3, which holds nothing"), unsaved.getMessage());
    }

    /** An ONNX input of 10^10 values is refused by name and size, not read as 1410065408 values (2^32 wrapped). */
    @Test
    void anOnnxInputTooLargeForIntsIsRefusedWithItsRealSize() {
        byte[] model = new OnnxGraphBuilder(1, 100_000, 100_000).node("Relu", List.of()).build();
        ModelException e = assertThrows(ModelException.class, () -> OnnxImporter.load(model, "huge"));
        assertTrue(e.getMessage().contains("100000x100000") && e.getMessage().contains("more than"), e.getMessage());
    }

    @Test
    void theLargestActivationIsExact() throws Exception {
        Network n = Network.parse(architecture(new int[] {784}, 'D', 100, 784));
        assertEquals(784, n.largestActivation());
    }

    @Test
    void randomMutationsOfARealArchitectureAreRefusedOrRead() throws Exception {
        byte[] real = OnnxImporter.load(ReferenceNetworks.generate("minionn-cifar10", 1), "minionn-cifar10").publicPart().describe();
        SplittableRandom r = new SplittableRandom(7);
        for (int i = 0; i < 2000; i++) {
            byte[] m = real.clone();
            for (int k = 0; k < 1 + r.nextInt(4); k++) {
                m[r.nextInt(m.length)] = (byte) r.nextInt(256);
            }
            try {
                Network n = Network.parse(m);
                assertTrue(n.largestActivation() <= 1 << 24, "a layer beyond the bound was read");
            } catch (ModelException expected) {
                // refused clearly
            }
        }
    }
}
