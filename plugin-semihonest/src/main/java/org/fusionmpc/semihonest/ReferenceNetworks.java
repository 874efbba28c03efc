package org.fusionmpc.semihonest;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * The reference networks of the secure-inference literature, by name, as ONNX models with random weights
 * (He-normal, seeded, so a name and seed always give the same model): what benchmarks compare systems on,
 * where trained weights would change nothing of the cost. Generated in Java on first use and cached under
 * {@code ~/.cache/fusionmpc/networks}.
 *
 * <ul>
 *   <li>{@code minionn-cifar10}: MiniONN's CIFAR-10 network (Liu et al., CCS 2017, Figure 13), also used by
 *       CrypTFlow2 and Cheetah: seven convolutions (3x3 and 1x1, 64 and 16 channels) with ReLU, two 2x2 mean
 *       pools, a fully connected layer; input 3x32x32, 173,056 ReLUs.</li>
 * </ul>
 * ResNet-50 is not here yet: its residual additions need more than a chain of layers (the importer, the
 * runner and the architecture's wire format), and its padded max-pool needs importer support. (Its 224x224
 * channels the RLWE engine now handles by tiling.)
 */
public final class ReferenceNetworks {

    public static final long DEFAULT_SEED = 1;

    private static final Map<String, long[]> INPUT_SHAPES = new TreeMap<>(Map.of("minionn-cifar10", new long[] {1, 3, 32, 32}));

    private ReferenceNetworks() {
    }

    /** The names this class knows. */
    public static List<String> names() {
        return List.copyOf(INPUT_SHAPES.keySet());
    }

    /** The input shape with its batch dimension, e.g. {1, 3, 32, 32}. */
    public static long[] inputShape(String name) {
        long[] s = INPUT_SHAPES.get(name);
        if (s == null) {
            throw unknown(name);
        }
        return s.clone();
    }

    /** The ONNX bytes of network {@code name} with weights from {@code seed}, from the cache or freshly generated. */
    public static byte[] onnx(String name, long seed) {
        if (!INPUT_SHAPES.containsKey(name)) {
            throw unknown(name);
        }
        Path cache = Path.of(System.getProperty("user.home"), ".cache", "fusionmpc", "networks", name + "-seed" + seed + ".onnx");
        try {
            if (Files.isRegularFile(cache)) {
                return Files.readAllBytes(cache);
            }
            byte[] bytes = generate(name, seed);
            Files.createDirectories(cache.getParent());
            Path tmp = Files.createTempFile(cache.getParent(), name, ".part");
            Files.write(tmp, bytes);
            Files.move(tmp, cache, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return bytes;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot cache the generated network at " + cache + ": " + e.getMessage(), e);
        }
    }

    /** Random inputs for a network, uniform in [0, 1) (a normalised image's range), from {@code seed}. */
    public static double[][] randomInputs(String name, int count, long seed) {
        long[] shape = inputShape(name);
        int size = 1;
        for (int i = 1; i < shape.length; i++) {
            size *= (int) shape[i];
        }
        SplittableRandom r = new SplittableRandom(seed);
        double[][] x = new double[count][size];
        for (double[] row : x) {
            for (int i = 0; i < size; i++) {
                row[i] = r.nextDouble();
            }
        }
        return x;
    }

    static byte[] generate(String name, long seed) {
        if (name.equals("minionn-cifar10")) {
            return minionnCifar10(seed);
        }
        throw unknown(name);
    }

    private static byte[] minionnCifar10(long seed) {
        OnnxGraphBuilder g = OnnxGraphBuilder.seeded(seed, 1, 3, 32, 32);
        conv(g, 64, 3, 3, 1).node("Relu", List.of());
        conv(g, 64, 64, 3, 1).node("Relu", List.of());
        g.node("AveragePool", List.of(), OnnxGraphBuilder.ints("kernel_shape", 2, 2), OnnxGraphBuilder.ints("strides", 2, 2));
        conv(g, 64, 64, 3, 1).node("Relu", List.of());
        conv(g, 64, 64, 3, 1).node("Relu", List.of());
        g.node("AveragePool", List.of(), OnnxGraphBuilder.ints("kernel_shape", 2, 2), OnnxGraphBuilder.ints("strides", 2, 2));
        conv(g, 64, 64, 3, 1).node("Relu", List.of());
        conv(g, 64, 64, 1, 0).node("Relu", List.of());
        conv(g, 16, 64, 1, 0).node("Relu", List.of());
        g.node("Flatten", List.of(), OnnxGraphBuilder.integer("axis", 1));
        return g.node("Gemm", List.of(g.heNormal(1024, 10, 1024), g.zeros(10)), OnnxGraphBuilder.integer("transB", 1)).build();
    }

    private static OnnxGraphBuilder conv(OnnxGraphBuilder g, int out, int in, int k, int pad) {
        return g.node("Conv", List.of(g.heNormal((long) in * k * k, out, in, k, k), g.zeros(out)),
                OnnxGraphBuilder.ints("kernel_shape", k, k), OnnxGraphBuilder.ints("pads", pad, pad, pad, pad));
    }

    private static IllegalArgumentException unknown(String name) {
        return new IllegalArgumentException("unknown reference network '" + name + "'; known: " + String.join(", ", INPUT_SHAPES.keySet())
                + " (resnet50 needs residual additions, which the chain of layers cannot express yet)");
    }
}
