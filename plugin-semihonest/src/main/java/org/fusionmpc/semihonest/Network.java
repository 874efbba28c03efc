package org.fusionmpc.semihonest;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A feed-forward network as the secure protocol runs it: an input shape and a chain of {@link Layer}s ending
 * in the logits. The server holds the weights; the client holds {@link #publicPart()}, the architecture,
 * which the server sends at the start of a session ({@link #describe()}, {@link #parse(byte[])}).
 */
public final class Network {

    private static final int FORMAT = 4; // 3: the output activation after the layers, the input normalisation; 4: scale steps
    private static final int MAX_LAYERS = 1024;
    private static final int MAX_SIZE = 1 << 24;
    /** Slots for residual connections: a ResNet needs two at a time. */
    static final int MAX_SLOTS = 16;

    private final String name;
    private final int[] inputShape;
    private final List<Layer> layers;
    private final OutputActivation output;
    private final InputAffine input; // null: none

    public Network(String name, int[] inputShape, List<Layer> layers) {
        this(name, inputShape, layers, OutputActivation.NONE, null);
    }

    /**
     * A network whose input is first mapped by {@code input} (null for none) and whose outputs are {@code output} of
     * its last layer's; both are public and the client applies them in the clear.
     */
    public Network(String name, int[] inputShape, List<Layer> layers, OutputActivation output, InputAffine input) {
        this.output = java.util.Objects.requireNonNull(output, "output");
        this.input = input;
        if (input != null && (inputSize(inputShape) % input.channels() != 0 || input.channels() > inputSize(inputShape))) {
            throw new ModelException("an input normalisation of " + input.channels() + " channels does not divide an input of shape "
                    + Arrays.toString(inputShape));
        }
        this.name = name;
        this.inputShape = inputShape.clone();
        this.layers = List.copyOf(layers);
        int size = inputSize();
        int[] slotSizes = new int[MAX_SLOTS];
        for (Layer l : layers) {
            if (l instanceof Layer.SlotStep step) {
                if (step.slot() < 0 || step.slot() >= MAX_SLOTS) {
                    throw new ModelException(l + " names a slot outside 0.." + (MAX_SLOTS - 1));
                }
                if (!(l instanceof Layer.Save) && slotSizes[step.slot()] != step.slotSize()) {
                    throw new ModelException(l + " reads slot " + step.slot() + ", which holds "
                            + (slotSizes[step.slot()] == 0 ? "nothing" : slotSizes[step.slot()] + " values"));
                }
                if (l instanceof Layer.Save) {
                    slotSizes[step.slot()] = step.size();
                }
                if (l instanceof Layer.Restore) {
                    size = step.size();
                    continue;
                }
            }
            if (l.inputSize() != size) {
                throw new ModelException("layer " + l + " takes " + l.inputSize() + " values but receives " + size);
            }
            size = l.outputSize();
        }
        if (layers.isEmpty()) {
            throw new ModelException("the model has no layers");
        }
    }

    public String name() {
        return name;
    }

    public int[] inputShape() {
        return inputShape.clone();
    }

    /**
     * {@code shape} without its leading dimensions of size 1 (at least one dimension kept): [1, 28, 28] and [28, 28] are
     * one input shape, as a batch or channel axis of 1 does not change the values' order.
     */
    public static int[] withoutLeadingOnes(int[] shape) {
        int i = 0;
        while (i < shape.length - 1 && shape[i] == 1) {
            i++;
        }
        return Arrays.copyOfRange(shape, i, shape.length);
    }

    public int inputSize() {
        return Arrays.stream(inputShape).reduce(1, (a, b) -> a * b);
    }

    public int outputSize() {
        return layers.get(layers.size() - 1).outputSize();
    }

    public List<Layer> layers() {
        return layers;
    }

    private static long inputSize(int[] shape) {
        long n = 1;
        for (int d : shape) {
            n *= d;
        }
        return n;
    }

    /** The input as the first layer takes it: the model's normalisation applied (a copy when there is one). */
    public double[] normalise(double[] x) {
        return input == null ? x : input.apply(x);
    }

    /** The input normalisation, or null. */
    public InputAffine inputAffine() {
        return input;
    }

    /** The logits in double precision. */
    public double[] forward(double[] x) {
        checkInput(x);
        double[] a = normalise(x);
        double[][] slots = new double[MAX_SLOTS][];
        for (Layer l : layers) {
            a = l instanceof Layer.SlotStep step ? step.apply(a, slots) : l.forward(a);
        }
        return output.apply(a == x ? a.clone() : a);
    }

    /** What the model applies after its last layer (the client's part of the output, in the clear). */
    public OutputActivation output() {
        return output;
    }

    public void checkInput(double[] x) {
        if (x.length != inputSize()) {
            throw new IllegalArgumentException("the model " + name + " takes an input of shape " + Arrays.toString(inputShape)
                    + " (" + inputSize() + " values), got " + x.length + " values");
        }
        for (int i = 0; i < x.length; i++) {
            if (!Double.isFinite(x[i])) {
                throw new IllegalArgumentException("input value " + i + " is " + x[i]);
            }
        }
    }

    /** The same architecture with every linear layer's weights and biases replaced by {@code f(layer index, old)}. */
    public Network mapWeights(java.util.function.BiFunction<Integer, double[], double[]> f) {
        List<Layer> out = new ArrayList<>();
        for (int i = 0; i < layers.size(); i++) {
            Layer l = layers.get(i);
            if (l instanceof Layer.Linear lin && lin.weights() != null) {
                double[] w = f.apply(i, lin.weights().clone());
                double[] b = f.apply(i, lin.bias().clone());
                out.add(new Layer.Linear(lin.conv(), lin.geometry(), w, b));
            } else {
                out.add(l);
            }
        }
        return new Network(name, inputShape, out, output, input);
    }

    /** The architecture without weights. */
    public Network publicPart() {
        return new Network(name, inputShape, layers.stream().map(Layer::publicPart).toList(), output, input);
    }

    public int reluCount() {
        return layers.stream().filter(l -> l instanceof Layer.Relu).mapToInt(Layer::inputSize).sum();
    }

    /** The architecture as bytes for the client. */
    public byte[] describe() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(FORMAT);
            out.writeUTF(name);
            ints(out, inputShape);
            out.writeInt(layers.size());
            for (Layer l : layers) {
                if (l instanceof Layer.Linear lin) {
                    out.writeByte(lin.conv() ? 'C' : 'D');
                    ints(out, lin.geometry());
                } else if (l instanceof Layer.Relu r) {
                    out.writeByte('R');
                    out.writeInt(r.size());
                } else if (l instanceof Layer.MaxPool p) {
                    out.writeByte('M');
                    ints(out, new int[] {p.c(), p.h(), p.w(), p.k(), p.stride(), p.pad()});
                } else if (l instanceof Layer.AvgPool p) {
                    out.writeByte('P');
                    ints(out, new int[] {p.c(), p.h(), p.w(), p.kh(), p.kw(), p.stride()});
                } else if (l instanceof Layer.Scale k) {
                    out.writeByte('K');
                    out.writeInt(k.size());
                    out.writeDouble(k.factor());
                    out.writeDouble(k.shift());
                } else if (l instanceof Layer.ConcatSaved cat) {
                    out.writeByte('J');
                    ints(out, new int[] {cat.slot(), cat.size(), cat.savedSize()});
                } else if (l instanceof Layer.SlotStep step) {
                    out.writeByte(l instanceof Layer.Save ? 'S' : l instanceof Layer.Restore ? 'L' : 'A');
                    ints(out, new int[] {step.slot(), step.size()});
                }
            }
            out.writeByte(output.ordinal());
            out.writeInt(input == null ? 0 : input.channels());
            for (int c = 0; input != null && c < input.channels(); c++) {
                out.writeDouble(input.scale()[c]);
                out.writeDouble(input.shift()[c]);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** Reads an architecture sent by a server, refusing anything malformed or absurdly large. */
    public static Network parse(byte[] description) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(description))) {
            int format = in.readInt();
            if (format != FORMAT) {
                throw new ModelException("architecture format " + format + ", expected " + FORMAT);
            }
            String name = in.readUTF();
            int[] shape = ints(in);
            long values = 1;
            for (int d : shape) {
                values *= d; // at most 16 factors below 2^24 each: checked one by one so the product cannot wrap
                if (values < 1 || values > MAX_SIZE) {
                    throw new ModelException("the architecture's input shape " + Arrays.toString(shape) + " is empty or holds more than "
                            + MAX_SIZE + " values");
                }
            }
            int n = in.readInt();
            if (n < 1 || n > MAX_LAYERS) {
                throw new ModelException("architecture with " + n + " layers");
            }
            List<Layer> layers = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                int kind = in.readByte();
                Layer l = switch (kind) {
                    case 'C', 'D' -> new Layer.Linear(kind == 'C', checkGeometry(kind, ints(in)), null, null);
                    case 'R' -> new Layer.Relu(in.readInt());
                    case 'M' -> {
                        int[] g = checkGeometry(kind, ints(in));
                        if (g.length != 6 || g[3] < 1 || g[4] < 1 || g[5] >= g[3]) {
                            throw new ModelException("malformed max-pool " + Arrays.toString(g) + " in the architecture");
                        }
                        yield new Layer.MaxPool(g[0], g[1], g[2], g[3], g[4], g[5]);
                    }
                    case 'P' -> {
                        int[] g = checkGeometry(kind, ints(in));
                        if (g.length != 6 || g[3] < 1 || g[4] < 1 || g[5] < 1 || g[3] > g[1] || g[4] > g[2]) {
                            throw new ModelException("malformed average pool " + Arrays.toString(g) + " in the architecture");
                        }
                        yield new Layer.AvgPool(g[0], g[1], g[2], g[3], g[4], g[5]);
                    }
                    case 'K' -> new Layer.Scale(in.readInt(), in.readDouble(), in.readDouble());
                    case 'J' -> {
                        int[] g = ints(in);
                        if (g.length != 3 || g[1] < 1 || g[2] < 1 || (long) g[1] + g[2] > MAX_SIZE) {
                            throw new ModelException("malformed concatenation in the architecture");
                        }
                        yield new Layer.ConcatSaved(g[0], g[1], g[2]);
                    }
                    case 'S', 'L', 'A' -> {
                        int[] g = ints(in);
                        if (g.length != 2) {
                            throw new ModelException("malformed slot step in the architecture");
                        }
                        yield kind == 'S' ? new Layer.Save(g[0], g[1]) : kind == 'L' ? new Layer.Restore(g[0], g[1])
                                : new Layer.AddSaved(g[0], g[1]);
                    }
                    default -> throw new ModelException("unknown layer kind " + kind + " in the architecture");
                };
                if (l.inputSize() < 1 || l.inputSize() > MAX_SIZE || l.outputSize() < 1 || l.outputSize() > MAX_SIZE) {
                    throw new ModelException("layer " + l + " is out of bounds");
                }
                layers.add(l);
            }
            int activation = in.readByte();
            if (activation < 0 || activation >= OutputActivation.values().length) {
                throw new ModelException("unknown output activation " + activation + " in the architecture");
            }
            int channels = in.readInt();
            if (channels < 0 || channels > values) {
                throw new ModelException("an input normalisation of " + channels + " channels for an input of " + values + " values");
            }
            InputAffine affine = null;
            if (channels > 0) {
                double[] scale = new double[channels];
                double[] shift = new double[channels];
                for (int c = 0; c < channels; c++) {
                    scale[c] = in.readDouble();
                    shift[c] = in.readDouble();
                }
                affine = new InputAffine(scale, shift);
            }
            if (in.available() != 0) {
                throw new ModelException("trailing bytes after the architecture");
            }
            return new Network(name, shape, layers, OutputActivation.values()[activation], affine);
        } catch (IOException | RuntimeException e) {
            if (e instanceof ModelException m) {
                throw m;
            }
            throw new ModelException("malformed architecture from the server: " + e, e);
        }
    }

    /**
     * Checks a received layer's sizes in exact arithmetic before anything uses them: {@link Layer#inputSize()} and
     * {@link Layer#outputSize()} multiply ints, which a hostile architecture could make wrap around to a small
     * positive number.
     */
    private static int[] checkGeometry(int kind, int[] g) {
        if (kind == 'D') {
            if (g.length != 2) {
                throw new ModelException("malformed dense layer " + Arrays.toString(g) + " in the architecture");
            }
            return g;
        }
        if (kind == 'C' && (g.length != 9 || g[6] < 1 || g[8] < 1 || g[0] % g[8] != 0 || g[3] % g[8] != 0
                || (long) g[1] + 2L * g[7] < g[4] || (long) g[2] + 2L * g[7] < g[5])
                || kind != 'C' && g.length != 6) {
            throw new ModelException("malformed " + (kind == 'C' ? "convolution " : "pooling ") + Arrays.toString(g) + " in the architecture");
        }
        exactSize(g[0], g[1], g[2]);
        if (kind == 'C') {
            exactSize(g[3], ((long) g[1] + 2L * g[7] - g[4]) / g[6] + 1, ((long) g[2] + 2L * g[7] - g[5]) / g[6] + 1);
        }
        return g;
    }

    private static void exactSize(long a, long b, long c) {
        if (a < 1 || b < 1 || c < 1 || Math.multiplyHigh(a * b, c) != 0 || a * b > MAX_SIZE || a * b * c > MAX_SIZE) {
            throw new ModelException("a layer of the architecture holds " + a + " x " + b + " x " + c
                    + " values, more than " + MAX_SIZE);
        }
    }

    /** The largest number of values one input's share vector takes at any step of this network (input included). */
    public long largestActivation() {
        long m = inputSize();
        for (Layer l : layers) {
            m = Math.max(m, Math.max(l.inputSize(), l.outputSize()));
        }
        return m;
    }

    private static void ints(DataOutputStream out, int[] v) throws IOException {
        out.writeInt(v.length);
        for (int x : v) {
            out.writeInt(x);
        }
    }

    private static int[] ints(DataInputStream in) throws IOException {
        int n = in.readInt();
        if (n < 1 || n > 16) {
            throw new ModelException("bad field count " + n + " in the architecture");
        }
        int[] v = new int[n];
        for (int i = 0; i < n; i++) {
            v[i] = in.readInt();
            if (v[i] < 0 || v[i] > MAX_SIZE) {
                throw new ModelException("bad value " + v[i] + " in the architecture");
            }
        }
        return v;
    }

    @Override
    public String toString() {
        return name + " " + Arrays.toString(inputShape) + " -> " + layers;
    }
}
