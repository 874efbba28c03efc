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
 *   <li>{@code cifar-small}: a small CIFAR-shaped classifier for tests and demonstrations (not from the literature):
 *       3x32x32 input, two 3x3 stride-2 convolutions (8 and 16 channels) with ReLU, a 2x2 max-pool, a 10-way fully
 *       connected layer. Its output bias is set to minus the mean logits over random inputs, so that its labels spread
 *       over the classes rather than all fall on one, as a random network's tend to.</li>
 *   <li>{@code minionn-cifar10}: MiniONN's CIFAR-10 network (Liu et al., CCS 2017, Figure 13), also used by
 *       CrypTFlow2 and Cheetah: seven convolutions (3x3 and 1x1, 64 and 16 channels) with ReLU, two 2x2 mean
 *       pools, a fully connected layer; input 3x32x32, 173,056 ReLUs.</li>
 *   <li>{@code resnet50}: ResNet-50 (He et al., CVPR 2016; torchvision's v1.5, stride in the 3x3
 *       convolution) for 3x224x224 ImageNet input: a 7x7 stride-2 stem, a padded 3x3 max-pool, 16 bottleneck
 *       blocks in four stages (3, 4, 6, 3) with projection shortcuts at each stage's first block, a global
 *       average pool and a 1000-way fully connected layer; 53 convolutions, 9.0 M ReLUs after the max-pool
 *       reordering. Batch normalisation is left out: with random weights it would be folded into the
 *       convolutions anyway. Each block's last convolution has its He-normal weights scaled by
 *       {@value #RESIDUAL_GAIN}, so that sixteen residual additions grow activations by about 2.6 rather than
 *       2^16: the role BN's learned scales play in a trained network, and what keeps 37-bit fixed point from
 *       overflowing.</li>
 * </ul>
 */
public final class ReferenceNetworks {

    public static final long DEFAULT_SEED = 1;

    /** Part of the cache file name: bumped whenever a generator changes, so a stale cached model is never read. */
    private static final int GENERATOR_VERSION = 2;

    /** The gain on each residual branch's last convolution (see the class comment). */
    public static final double RESIDUAL_GAIN = 0.25;

    private static final Map<String, long[]> INPUT_SHAPES = new TreeMap<>(Map.of(
            "cifar-small", new long[] {1, 3, 32, 32},
            "minionn-cifar10", new long[] {1, 3, 32, 32},
            "resnet50", new long[] {1, 3, 224, 224}));

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
        Path cache = Path.of(System.getProperty("user.home"), ".cache", "fusionmpc", "networks", name + "-v" + GENERATOR_VERSION + "-seed" + seed + ".onnx");
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
        return switch (name) {
            case "cifar-small" -> cifarSmall(seed);
            case "minionn-cifar10" -> minionnCifar10(seed);
            case "resnet50" -> resnet50(seed);
            default -> throw unknown(name);
        };
    }

    private static byte[] cifarSmall(long seed) {
        float[] bias = new float[10];
        Network first = OnnxImporter.load(cifarSmall(seed, bias), "cifar-small");
        double[][] x = randomInputs("cifar-small", 256, seed + 1);
        for (double[] input : x) {
            double[] y = first.forward(input);
            for (int k = 0; k < bias.length; k++) {
                bias[k] -= (float) (y[k] / x.length);
            }
        }
        return cifarSmall(seed, bias);
    }

    private static byte[] cifarSmall(long seed, float[] bias) {
        OnnxGraphBuilder g = OnnxGraphBuilder.seeded(seed, 1, 3, 32, 32);
        conv(g, 8, 3, 3, 2, 1, 1).node("Relu", List.of());
        conv(g, 16, 8, 3, 2, 1, 1).node("Relu", List.of());
        g.node("MaxPool", List.of(), OnnxGraphBuilder.ints("kernel_shape", 2, 2), OnnxGraphBuilder.ints("strides", 2, 2));
        g.node("Flatten", List.of(), OnnxGraphBuilder.integer("axis", 1));
        return g.node("Gemm", List.of(g.heNormal(256, 10, 256), g.tensor(new long[] {10}, bias)), OnnxGraphBuilder.integer("transB", 1)).build();
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

    private static byte[] resnet50(long seed) {
        OnnxGraphBuilder g = OnnxGraphBuilder.seeded(seed, 1, 3, 224, 224);
        conv(g, 64, 3, 7, 2, 3, 1).node("Relu", List.of());
        g.node("MaxPool", List.of(), OnnxGraphBuilder.ints("kernel_shape", 3, 3), OnnxGraphBuilder.ints("strides", 2, 2),
                OnnxGraphBuilder.ints("pads", 1, 1, 1, 1));
        int in = 64;
        int[] blocks = {3, 4, 6, 3};
        for (int stage = 0; stage < blocks.length; stage++) {
            int width = 64 << stage;
            for (int b = 0; b < blocks[stage]; b++) {
                int stride = b == 0 && stage > 0 ? 2 : 1;
                String x = g.current();
                conv(g, width, in, 1, 1, 0, 1).node("Relu", List.of());
                conv(g, width, width, 3, stride, 1, 1).node("Relu", List.of());
                String branch = conv(g, 4 * width, width, 1, 1, 0, RESIDUAL_GAIN).current();
                String shortcut = x;
                if (b == 0) {
                    shortcut = conv(g.from(x), 4 * width, in, 1, stride, 0, 1).current();
                }
                g.from(branch).node("Add", List.of(shortcut)).node("Relu", List.of());
                in = 4 * width;
            }
        }
        g.node("GlobalAveragePool", List.of()).node("Flatten", List.of(), OnnxGraphBuilder.integer("axis", 1));
        return g.node("Gemm", List.of(g.heNormal(in, 1000, in), g.zeros(1000)), OnnxGraphBuilder.integer("transB", 1)).build();
    }

    private static OnnxGraphBuilder conv(OnnxGraphBuilder g, int out, int in, int k, int pad) {
        return conv(g, out, in, k, 1, pad, 1);
    }

    private static OnnxGraphBuilder conv(OnnxGraphBuilder g, int out, int in, int k, int stride, int pad, double gain) {
        return g.node("Conv", List.of(g.heNormal(gain, (long) in * k * k, out, in, k, k), g.zeros(out)),
                OnnxGraphBuilder.ints("kernel_shape", k, k), OnnxGraphBuilder.ints("strides", stride, stride),
                OnnxGraphBuilder.ints("pads", pad, pad, pad, pad));
    }

    private static IllegalArgumentException unknown(String name) {
        return new IllegalArgumentException("unknown reference network '" + name + "'; known: " + String.join(", ", INPUT_SHAPES.keySet()));
    }
}
