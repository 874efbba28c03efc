package org.fusionmpc.ot;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.SplittableRandom;
import org.fusionmpc.api.random.Prg;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The LPN encoding, which reads its indices in batches from a reseeded generator, against a direct reimplementation
 * of its definition: output j of tree τ XORs the ten code blocks whose indices are the next ten 32-bit words of AES-CTR
 * under the code seed XOR (round, τ), each scaled to [0, K). Both sides of the COT relation use the same encoding, so
 * the relation alone would not catch an access that is dropped or doubled; this does.
 */
class FerretEncodeTest {

    static java.util.stream.Stream<FerretParams> sets() {
        return java.util.stream.Stream.of(FerretParams.REGULAR_2024, FerretParams.INSECURE_TINY_FOR_TESTS);
    }

    @ParameterizedTest
    @MethodSource("sets")
    void theEncodingIsItsDefinition(FerretParams p) {
        for (Ferret.Shape shape : new Ferret.Shape[] {SilentOt.mainShape(p), SilentOt.bootstrapShape(p)}) {
            SplittableRandom r = new SplittableRandom(shape.k());
            long[] code = r.longs(2L * shape.k()).toArray();
            byte[] codeSeed = new byte[16];
            r.nextBytes(codeSeed);
            byte[] random = new byte[4 * Ferret.D * 1024];
            int[] indices = new int[Ferret.D * 1024];
            Prg prg = new Prg(new byte[Prg.SEED_BYTES]);
            for (int tau : new int[] {0, 1, shape.t() - 1}) {
                long round = r.nextInt(1000);
                int leaves = shape.leaves();
                long[] start = r.longs(2L * (leaves + 3)).toArray();
                long[] got = start.clone();
                Ferret.encode(shape, code, codeSeed, round, tau, got, 3, random, indices, prg);
                assertArrayEquals(reference(shape, code, codeSeed, round, tau, start, 3), got, shape + " tree " + tau);
            }
        }
    }

    private static long[] reference(Ferret.Shape shape, long[] code, byte[] codeSeed, long round, int tau, long[] start, int at) {
        byte[] seed = codeSeed.clone();
        long tag = round << 32 | tau;
        for (int b = 0; b < 8; b++) {
            seed[b] ^= (byte) (tag >>> (8 * b));
        }
        Prg prg = new Prg(seed);
        long[] out = start.clone();
        byte[] word = new byte[4];
        for (int j = 0; j < shape.leaves(); j++) {
            for (int d = 0; d < Ferret.D; d++) {
                prg.nextBytes(word);
                long x = ByteBuffer.wrap(word).order(ByteOrder.LITTLE_ENDIAN).getInt() & 0xFFFF_FFFFL;
                int block = (int) (x * shape.k() >>> 32);
                out[2 * (at + j)] ^= code[2 * block];
                out[2 * (at + j) + 1] ^= code[2 * block + 1];
            }
        }
        return out;
    }
}
