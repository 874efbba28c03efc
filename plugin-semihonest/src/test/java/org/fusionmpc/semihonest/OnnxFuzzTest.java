package org.fusionmpc.semihonest;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Fuzzes the ONNX loader: byte flips, truncations, splices and overwrites of a committed corpus
 * (src/test/resources/fuzz/*.onnx, plus the trained models) must load or fail with a {@link ModelException};
 * no other exception, no hang, no giant allocation. {@code -Dfusion.fuzz.tries=N} runs longer,
 * {@code -Dfusion.fuzz.seed=S} reproduces a run.
 */
class OnnxFuzzTest {

    static final int TRIES = Integer.getInteger("fusion.fuzz.tries", 400);
    static final long SEED = Long.getLong("fusion.fuzz.seed", 20261125L);

    static List<byte[]> corpus() throws Exception {
        List<byte[]> seeds = new ArrayList<>();
        for (String name : new String[] {"conv-bn-pool-gemm.onnx", "reshape-matmul-add.onnx"}) {
            try (InputStream in = OnnxFuzzTest.class.getResourceAsStream("/fuzz/" + name)) {
                seeds.add(in.readAllBytes());
            }
        }
        seeds.add(Files.readAllBytes(Path.of("..", "models", "minionn-cnn.onnx")));
        return seeds;
    }

    static byte[] mutate(byte[] s, SplittableRandom r) {
        byte[] b = s.clone();
        int how = r.nextInt(5);
        switch (how) {
            case 0 -> {
                for (int i = 0, n = 1 + r.nextInt(8); i < n; i++) {
                    b[r.nextInt(b.length)] ^= (byte) (1 << r.nextInt(8));
                }
            }
            case 1 -> b = java.util.Arrays.copyOf(b, r.nextInt(b.length));
            case 2 -> {
                int from = r.nextInt(b.length);
                int len = r.nextInt(Math.min(64, b.length - from) + 1);
                int to = r.nextInt(b.length);
                System.arraycopy(s, from, b, to, Math.min(len, b.length - to));
            }
            case 3 -> b[r.nextInt(b.length)] = (byte) (r.nextBoolean() ? 0xff : 0x7f); // large varints and lengths
            default -> {
                int at = r.nextInt(b.length);
                for (int i = at; i < Math.min(b.length, at + 8); i++) {
                    b[i] = (byte) r.nextInt(256);
                }
            }
        }
        return b;
    }

    @Test
    void mutatedModelsLoadOrFailWithAModelException() throws Exception {
        List<byte[]> seeds = corpus();
        SplittableRandom r = new SplittableRandom(SEED);
        int loaded = 0;
        int refused = 0;
        for (int t = 0; t < TRIES; t++) {
            byte[] b = mutate(seeds.get(r.nextInt(seeds.size())), r);
            try {
                Network n = OnnxImporter.load(b, "fuzz");
                n.forward(new double[n.inputSize()]); // what loads must also run
                loaded++;
            } catch (ModelException expected) {
                refused++;
            } catch (RuntimeException | OutOfMemoryError e) {
                throw new AssertionError("input " + t + " (seed " + SEED + ", " + b.length + " bytes, starts "
                        + HexFormat.of().formatHex(b, 0, Math.min(16, b.length)) + ") escaped as " + e, e);
            }
        }
        System.out.printf("onnx fuzz: %d mutated models, %d loaded, %d refused with ModelException%n", TRIES, loaded, refused);
    }
}
