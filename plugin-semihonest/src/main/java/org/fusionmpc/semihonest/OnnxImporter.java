package org.fusionmpc.semihonest;

import ai.onnx.proto.OnnxMl;
import com.google.protobuf.InvalidProtocolBufferException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads an ONNX model (as PyTorch or TensorFlow export it, unedited) into a {@link Network}. Supported
 * operators: Conv, Gemm, MatMul, Add (a bias after Conv/Gemm/MatMul), Relu, MaxPool, AveragePool,
 * GlobalAveragePool, BatchNormalization (folded into the preceding Conv or Gemm), Flatten, Reshape, and
 * Identity/Dropout/zero-width Pad (no-ops at inference; PyTorch writes such a Pad before AveragePool). Average
 * pooling, whose weights are public, is a local step on shares. Add of two computed tensors is a residual
 * connection. Clip (ReLU6, Hardtanh) and LeakyRelu are exact compositions of ReLUs with public scale steps
 * ({@link Layer.Scale}): lo + ReLU(x - lo) - ReLU(x - hi) and ReLU(x) - a·ReLU(-x).
 *
 * <p>The graph may branch and join (a ResNet's blocks): it is run in the file's node order, which ONNX requires
 * to be topological, as one chain in which a value that a later node still needs is kept in a slot
 * ({@link Layer.Save}) before it is transformed, brought back when a node reads it ({@link Layer.Restore}),
 * and added by {@link Layer.AddSaved}; a slot is reused once its value has no readers left. A ReLU followed by a
 * max-pool is reordered to max-pool then ReLU: the same function (ReLU is monotone) with fewer comparisons.
 *
 * <p>Anything else is a {@link ModelException} naming the node, its operator and what is supported.
 */
public final class OnnxImporter {

    public static final String SUPPORTED = "Conv, Gemm, MatMul, Add, Relu, MaxPool, AveragePool, GlobalAveragePool, "
            + "BatchNormalization (folded into a Conv or Gemm before it, else a depthwise linear layer), Flatten, Reshape, Identity, Dropout, Pad (of zero width), Softmax and LogSoftmax (as the last node), "
            + "ReduceMean over the spatial axes, Add/Sub/Mul/Div by constants on the input (its normalisation), Mul/Div by a constant "
            + "after a Conv or Gemm, Concat of computed values along the channels, Clip (ReLU6, Hardtanh) and LeakyRelu (exact, from ReLUs), shape computations on constants; "
            + "Add of two computed tensors "
            + "(residual connections); MaxPool with padding right after a ReLU";

    /** Elements per tensor: far above any model this SDK runs, far below what would exhaust the heap. */
    private static final long MAX_ELEMENTS = 1L << 28;

    private final Map<String, float[]> floats = new HashMap<>();
    private final Map<String, long[]> int64s = new HashMap<>();
    private final Map<String, long[]> dims = new HashMap<>();
    private final List<Layer> layers = new ArrayList<>();
    /** Readers still to come, per value name; the graph's output counts as one. */
    private final Map<String, Integer> readers = new HashMap<>();
    private final Map<String, Integer> slotOf = new HashMap<>();
    private final Map<String, int[]> slotShape = new HashMap<>();
    /** Values a ReLU computed: a padded max-pool may read them from a slot, as zero padding is then -∞ padding. */
    private final Set<String> nonNegative = new java.util.HashSet<>();
    private final boolean[] slotBusy = new boolean[Network.MAX_SLOTS];
    private int[] shape;
    private String current;

    private OnnxImporter() {
    }

    public static Network load(Path file) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new ModelException("cannot read the model " + file + ": " + e.getMessage(), e);
        }
        String name = file.getFileName().toString().replaceFirst("\\.onnx$", "");
        try {
            return load(bytes, name);
        } catch (ModelException e) {
            throw new ModelException(file + ": " + e.getMessage(), e);
        }
    }

    public static Network load(byte[] bytes, String name) {
        OnnxMl.ModelProto model;
        try {
            model = OnnxMl.ModelProto.parseFrom(bytes);
        } catch (InvalidProtocolBufferException e) {
            throw new ModelException("not an ONNX model, or a truncated one (" + e.getMessage() + ")", e);
        }
        if (!model.hasGraph() || model.getGraph().getNodeCount() == 0 || model.getIrVersion() == 0) {
            throw new ModelException("not an ONNX model, or a truncated one: no graph nodes or IR version");
        }
        try {
            return new OnnxImporter().read(model.getGraph(), name);
        } catch (ModelException e) {
            throw e;
        } catch (RuntimeException e) {
            // Whatever else a malformed graph trips over is still a bad model, reported as one.
            throw new ModelException("malformed ONNX model: " + e, e);
        }
    }

    private Network read(OnnxMl.GraphProto g, String name) {
        for (OnnxMl.TensorProto t : g.getInitializerList()) {
            tensor(t);
        }
        OnnxMl.ValueInfoProto input = null;
        for (OnnxMl.ValueInfoProto v : g.getInputList()) {
            if (!floats.containsKey(v.getName()) && !int64s.containsKey(v.getName())) {
                if (input != null) {
                    throw new ModelException("the model has more than one input (" + input.getName() + ", " + v.getName() + ")");
                }
                input = v;
            }
        }
        if (input == null) {
            throw new ModelException("the model has no input");
        }
        List<OnnxMl.TensorShapeProto.Dimension> d = input.getType().getTensorType().getShape().getDimList();
        if (d.size() < 2) {
            throw new ModelException("input '" + input.getName() + "' must have a batch dimension and at least one more, has " + d.size());
        }
        shape = new int[d.size() - 1];
        for (int i = 1; i < d.size(); i++) {
            if (!d.get(i).hasDimValue() || d.get(i).getDimValue() < 1) {
                throw new ModelException("input dimension " + i + " of '" + input.getName() + "' is not a fixed size");
            }
            shape[i - 1] = (int) Math.min(Integer.MAX_VALUE, d.get(i).getDimValue());
        }
        long values = 1;
        for (int v : shape) {
            values = Math.multiplyExact(values, (long) v);
            if (values > MAX_INPUT_VALUES) {
                throw new ModelException("input '" + input.getName() + "' of shape " + d.stream().skip(1).map(x -> Long.toString(x.getDimValue()))
                        .collect(java.util.stream.Collectors.joining("x")) + " holds more than " + MAX_INPUT_VALUES
                        + " values per inference, more than a secure inference here takes");
            }
        }
        int[] inputShape = shape.clone();
        current = input.getName();
        for (OnnxMl.NodeProto node : g.getNodeList()) {
            for (String in : node.getInputList()) {
                readers.merge(in, 1, Integer::sum);
            }
        }
        for (OnnxMl.ValueInfoProto out : g.getOutputList()) {
            readers.merge(out.getName(), 1, Integer::sum);
        }
        refuseUnsupported(g);
        for (OnnxMl.NodeProto node : g.getNodeList()) {
            node(node);
        }
        if (g.getOutputCount() != 1 || !g.getOutput(0).getName().equals(current)) {
            throw new ModelException("the graph's output must be the last node's output '" + current + "'");
        }
        reorderReluMaxPool();
        return new Network(name, inputShape, layers, output, inputAffine);
    }

    /** Operators this importer takes in some position (where a position is wrong, the node's own check says so). */
    private static final java.util.Set<String> KNOWN = java.util.Set.of("Constant", "Conv", "Gemm", "MatMul", "Add", "Relu", "MaxPool",
            "AveragePool", "GlobalAveragePool", "BatchNormalization", "Flatten", "Reshape", "Pad", "Identity", "Dropout",
            "Shape", "Gather", "Unsqueeze", "Squeeze", "Concat", "Cast", "Sub", "Mul", "Div", "ReduceMean", "Clip", "LeakyRelu");

    /** Operators folded to constants when every input is a constant integer tensor (a shape computation). */
    private static final java.util.Set<String> SHAPE_OPS = java.util.Set.of("Gather", "Unsqueeze", "Squeeze", "Concat", "Cast");

    /**
     * Every node whose operator is not taken, in one error, each named as the user wrote it where the exporter split
     * it into pieces (GELU, SiLU), with a hint; before anything is imported, so a user fixes a model in one round.
     */
    private static void refuseUnsupported(OnnxMl.GraphProto g) {
        List<OnnxMl.NodeProto> nodes = g.getNodeList();
        java.util.Set<String> ops = new java.util.HashSet<>();
        nodes.forEach(n -> ops.add(n.getOpType()));
        List<String> refused = new java.util.ArrayList<>();
        java.util.Set<String> hints = new java.util.LinkedHashSet<>();
        for (OnnxMl.NodeProto n : nodes) {
            String op = n.getOpType();
            if (KNOWN.contains(op) || isOutputActivation(g, n)) {
                continue;
            }
            refused.add("node '" + n.getName() + "' (" + op + ")");
            String what = switch (op) {
                case "Erf" -> "GELU (nn.GELU, exported as Div, Erf, Add, Mul)";
                case "Sigmoid" -> ops.contains("Mul") ? "Sigmoid, or SiLU/Swish (x·sigmoid(x), exported as Sigmoid and Mul)" : "Sigmoid";
                case "Tanh", "Softplus", "Elu", "Selu", "HardSigmoid", "HardSwish", "Mish", "Gelu" -> op;
                default -> null;
            };
            if (what != null) {
                hints.add(what + " is an activation other than ReLU: secure inference here takes ReLU only (replace it and retrain)");
            } else if (op.equals("Softmax") || op.equals("LogSoftmax")) {
                hints.add(op + " is taken only as the model's last node, over the classes (the client applies it to the logits)");
            } else if (op.equals("Sub") || op.equals("Div") || op.equals("Mul")) {
                hints.add("Sub, Div and Mul by constants (input normalisation) are not taken yet: normalise the input before it reaches the model");
            }
        }
        if (refused.isEmpty()) {
            return;
        }
        String list = refused.size() == 1 ? refused.get(0) + " is not supported"
                : refused.size() + " nodes are not supported: " + String.join(", ", refused);
        throw new ModelException(list + "; supported operators: " + SUPPORTED + (hints.isEmpty() ? "" : ". " + String.join(". ", hints)));
    }

    /** A Softmax or LogSoftmax that is the graph's last node and its output. */
    private static boolean isOutputActivation(OnnxMl.GraphProto g, OnnxMl.NodeProto n) {
        return (n.getOpType().equals("Softmax") || n.getOpType().equals("LogSoftmax")) && n == g.getNode(g.getNodeCount() - 1)
                && g.getOutputCount() == 1 && n.getOutputCount() == 1 && n.getOutput(0).equals(g.getOutput(0).getName());
    }

    private OutputActivation output = OutputActivation.NONE;
    /** The model's own input normalisation, composed from the nodes before any layer (null: none). */
    private InputAffine inputAffine;
    /** No layer yet: a public affine node here normalises the input and is applied by the client in the clear. */
    private boolean atInput = true;

    private void node(OnnxMl.NodeProto n) {
        String op = n.getOpType();
        String where = "node '" + n.getName() + "' (" + op + ")";
        if (op.equals("Identity") && n.getInputCount() == 1 && (floats.containsKey(n.getInput(0)) || int64s.containsKey(n.getInput(0)))) {
            // PyTorch names one initializer twice through an Identity when two parameters are equal (two identical
            // BatchNormalization biases, say): the output is the same constant under a second name.
            String in = n.getInput(0);
            if (floats.containsKey(in)) {
                floats.put(n.getOutput(0), floats.get(in));
            } else {
                int64s.put(n.getOutput(0), int64s.get(in));
            }
            if (dims.containsKey(in)) {
                dims.put(n.getOutput(0), dims.get(in));
            }
            return;
        }
        if (op.equals("Constant")) {
            for (OnnxMl.AttributeProto a : n.getAttributeList()) {
                if (a.getName().equals("value")) {
                    tensor(a.getT().toBuilder().setName(n.getOutput(0)).build());
                    return;
                }
            }
            throw new ModelException(where + ": only a tensor 'value' is supported");
        }
        if (op.equals("Shape") && n.getInputCount() == 1 && !floats.containsKey(n.getInput(0))) {
            // A shape is known here from the model's input shape (batch 1): x.view(x.size(0), -1) exported with a
            // dynamic batch axis computes its Reshape target from it, and the whole computation folds to a constant.
            String in = n.getInput(0);
            int[] s = in.equals(current) ? shape : slotShape.get(in);
            if (s == null) {
                throw new ModelException(where + " reads '" + in + "', which no earlier node computed");
            }
            long[] v = new long[s.length + 1];
            v[0] = 1;
            for (int i = 0; i < s.length; i++) {
                v[i + 1] = s[i];
            }
            int64s.put(n.getOutput(0), v);
            dims.put(n.getOutput(0), new long[] {v.length});
            read(in);
            return;
        }
        List<String> computed = n.getInputList().stream()
                .filter(in -> !in.isEmpty() && !floats.containsKey(in) && !int64s.containsKey(in)).toList();
        if (computed.isEmpty() && SHAPE_OPS.contains(op) && n.getInputList().stream().allMatch(in -> in.isEmpty() || int64s.containsKey(in))) {
            foldShapeOp(n, where);
            return;
        }
        if (computed.isEmpty()) {
            throw new ModelException(where + " reads only constants");
        }
        String main = computed.contains(current) ? current : computed.get(0);
        if (!main.equals(current)) {
            keepIfStillRead(current);
            Integer slot = slotOf.get(main);
            if (slot == null) {
                throw new ModelException(where + " reads '" + main + "', which no earlier node computed");
            }
            shape = slotShape.get(main).clone();
            layers.add(new Layer.Restore(slot, size()));
            current = main;
        }
        read(main);
        // The node transforms the current value; a value other nodes still read is kept first.
        keepIfStillRead(main);
        Map<String, OnnxMl.AttributeProto> attrs = new HashMap<>();
        for (OnnxMl.AttributeProto a : n.getAttributeList()) {
            attrs.put(a.getName(), a);
        }
        if (atInput && computed.size() == 1 && Set.of("Add", "Sub", "Mul", "Div", "BatchNormalization").contains(op)) {
            normaliseInput(n, attrs, where);
            current = n.getOutput(0);
            return;
        }
        if (!op.equals("Identity") && !op.equals("Dropout")) {
            atInput = false;
        }
        if ((op.equals("Mul") || op.equals("Div")) && scaleLastLinear(n, where)) {
            current = n.getOutput(0);
            return;
        }
        if (computed.size() == 1 && (op.equals("Sub") || op.equals("Mul") || op.equals("Div")
                || op.equals("Add") && (layers.isEmpty() || !(layers.get(layers.size() - 1) instanceof Layer.Linear)))) {
            constantAffine(n, where);
            current = n.getOutput(0);
            return;
        }
        switch (op) {
            case "Conv" -> conv(n, attrs, where);
            case "Gemm" -> gemm(n, attrs, where);
            case "MatMul" -> matmul(n, where);
            case "Add" -> add(n, computed, where);
            case "Concat" -> concat(n, attrs, where);
            case "Relu" -> {
                layers.add(new Layer.Relu(size()));
                nonNegative.add(n.getOutput(0));
            }
            case "Clip" -> clip(n, attrs, where);
            case "LeakyRelu" -> leakyRelu(attrs.containsKey("alpha") ? attrs.get("alpha").getF() : 0.01f);
            case "MaxPool" -> maxPool(attrs, where);
            case "AveragePool" -> averagePool(attrs, where, false);
            case "GlobalAveragePool" -> averagePool(attrs, where, true);
            case "ReduceMean" -> reduceMean(n, attrs, where);
            case "BatchNormalization" -> batchNorm(n, attrs, where);
            case "Flatten" -> {
                long axis = attrs.containsKey("axis") ? attrs.get("axis").getI() : 1;
                if (axis != 1) {
                    throw new ModelException(where + ": only axis = 1 is supported, got " + axis);
                }
                shape = new int[] {size()};
            }
            case "Reshape" -> reshape(n, where);
            case "Pad" -> {
                // PyTorch puts an all-zero Pad before AveragePool; real padding belongs in the next Conv's pads. Opsets
                // 2-10 give the pads as an attribute, 11 on as a second input.
                long[] p = n.getInputCount() > 1 ? int64s.get(n.getInput(1))
                        : attrs.containsKey("pads") ? attrs.get("pads").getIntsList().stream().mapToLong(Long::longValue).toArray() : null;
                String mode = attrs.containsKey("mode") ? attrs.get("mode").getS().toStringUtf8() : "constant";
                if (p == null || Arrays.stream(p).anyMatch(x -> x != 0) || !mode.equals("constant")) {
                    throw new ModelException(where + ": only a Pad that pads nothing is supported; pad inside Conv instead");
                }
            }
            case "Identity", "Dropout" -> { }
            case "Softmax", "LogSoftmax" -> {
                // Only as the last node (the pre-scan refuses it elsewhere), over the classes of a flat output.
                long axis = attrs.containsKey("axis") ? attrs.get("axis").getI() : -1;
                if (shape.length != 1 || (axis != 1 && axis != -1)) {
                    throw new ModelException(where + ": a softmax is taken over the classes of a flat output only (axis 1 or -1 of"
                            + " [batch, classes]), got axis " + axis + " of a value shaped " + Arrays.toString(shape));
                }
                output = op.equals("Softmax") ? OutputActivation.SOFTMAX : OutputActivation.LOG_SOFTMAX;
            }
            default -> throw new ModelException(where + " is not supported; supported operators: " + SUPPORTED);
        }
        current = n.getOutput(0);
    }

    private void conv(OnnxMl.NodeProto n, Map<String, OnnxMl.AttributeProto> a, String where) {
        if (shape.length != 3) {
            throw new ModelException(where + ": needs a c×h×w input, got shape " + Arrays.toString(shape));
        }
        float[] w = weight(n, 1, where);
        long[] wd = dims.get(n.getInput(1));
        if (wd.length != 4) {
            throw new ModelException(where + ": only 2-D convolutions are supported, weight dims " + Arrays.toString(wd));
        }
        int groups = (int) (a.containsKey("group") ? a.get("group").getI() : 1);
        int o = (int) wd[0];
        int kh = (int) wd[2];
        int kw = (int) wd[3];
        if (wd[1] * groups != shape[0]) {
            throw new ModelException(where + ": weights for " + wd[1] * groups + " input channels, input has " + shape[0]);
        }
        requireOnes(a, "dilations", where);
        int stride = uniform(a, "strides", 1, where);
        int pad = pads(a, where);
        double[] bias = new double[o];
        if (n.getInputCount() > 2 && !n.getInput(2).isEmpty()) {
            bias = toDouble(weight(n, 2, where));
            if (bias.length != o) {
                throw new ModelException(where + ": bias has " + bias.length + " values for " + o + " filters");
            }
        }
        int[] geometry = {shape[0], shape[1], shape[2], o, kh, kw, stride, pad, groups};
        Layer.Linear l = new Layer.Linear(true, geometry, toDouble(w), bias);
        try {
            l.shape();
        } catch (IllegalArgumentException e) {
            throw new ModelException(where + ": " + e.getMessage(), e);
        }
        layers.add(l);
        shape = new int[] {o, (shape[1] + 2 * pad - kh) / stride + 1, (shape[2] + 2 * pad - kw) / stride + 1};
    }

    private void gemm(OnnxMl.NodeProto n, Map<String, OnnxMl.AttributeProto> a, String where) {
        double alpha = a.containsKey("alpha") ? a.get("alpha").getF() : 1;
        double beta = a.containsKey("beta") ? a.get("beta").getF() : 1;
        if (a.containsKey("transA") && a.get("transA").getI() != 0) {
            throw new ModelException(where + ": transA = 1 is not supported");
        }
        boolean transB = a.containsKey("transB") && a.get("transB").getI() != 0;
        float[] b = weight(n, 1, where);
        long[] bd = dims.get(n.getInput(1));
        if (bd.length != 2) {
            throw new ModelException(where + ": B must be a matrix, dims " + Arrays.toString(bd));
        }
        int m = (int) (transB ? bd[0] : bd[1]);
        int k = (int) (transB ? bd[1] : bd[0]);
        if (k != size()) {
            throw new ModelException(where + ": B expects " + k + " inputs, the previous layer gives " + size());
        }
        double[] w = new double[m * k];
        for (int o = 0; o < m; o++) {
            for (int i = 0; i < k; i++) {
                w[o * k + i] = alpha * (transB ? b[o * k + i] : b[i * m + o]);
            }
        }
        double[] bias = new double[m];
        if (n.getInputCount() > 2 && !n.getInput(2).isEmpty()) {
            float[] c = weight(n, 2, where);
            if (c.length != m && c.length != 1) {
                throw new ModelException(where + ": C has " + c.length + " values for " + m + " outputs");
            }
            for (int o = 0; o < m; o++) {
                bias[o] = beta * c[c.length == 1 ? 0 : o];
            }
        }
        layers.add(new Layer.Linear(false, new int[] {m, k}, w, bias));
        shape = new int[] {m};
    }

    private void matmul(OnnxMl.NodeProto n, String where) {
        float[] b = weight(n, 1, where);
        long[] bd = dims.get(n.getInput(1));
        if (bd.length != 2 || bd[0] != size()) {
            throw new ModelException(where + ": B must be a " + size() + "×m matrix, dims " + Arrays.toString(bd));
        }
        int k = (int) bd[0];
        int m = (int) bd[1];
        double[] w = new double[m * k];
        for (int o = 0; o < m; o++) {
            for (int i = 0; i < k; i++) {
                w[o * k + i] = b[i * m + o];
            }
        }
        layers.add(new Layer.Linear(false, new int[] {m, k}, w, new double[m]));
        shape = new int[] {m};
    }

    /**
     * Clip(x, lo, hi) (ReLU6 is Clip(0, 6), Hardtanh Clip(-1, 1)) from ReLUs and public scale steps, exactly:
     * lo + ReLU(x - lo) - ReLU(x - hi); with no lower bound x - ReLU(x - hi), with no upper one lo + ReLU(x - lo).
     * The bounds are attributes up to opset 10 and optional constant inputs from 11 on.
     */
    private void clip(OnnxMl.NodeProto n, Map<String, OnnxMl.AttributeProto> a, String where) {
        double lo = a.containsKey("min") ? a.get("min").getF() : Double.NEGATIVE_INFINITY;
        double hi = a.containsKey("max") ? a.get("max").getF() : Double.POSITIVE_INFINITY;
        for (int i = 1; i < n.getInputCount() && i < 3; i++) {
            String in = n.getInput(i);
            if (in.isEmpty()) {
                continue;
            }
            float[] v = floats.get(in);
            if (v == null || v.length != 1) {
                throw new ModelException(where + ": its " + (i == 1 ? "min" : "max") + " must be one constant");
            }
            if (i == 1) {
                lo = v[0];
            } else {
                hi = v[0];
            }
        }
        if (!(lo <= hi)) {
            throw new ModelException(where + ": min " + lo + " is above max " + hi);
        }
        int size = size();
        boolean low = lo != Double.NEGATIVE_INFINITY;
        boolean high = hi != Double.POSITIVE_INFINITY;
        if (!high) {
            reluAbove(size, lo);
            return;
        }
        int x = tempSlot();
        layers.add(new Layer.Save(x, size));
        layers.add(new Layer.Scale(size, 1, -hi));
        layers.add(new Layer.Relu(size));
        layers.add(new Layer.Scale(size, -1, 0)); // -ReLU(x - hi)
        if (!low) {
            layers.add(new Layer.AddSaved(x, size));
            slotBusy[x] = false;
            return;
        }
        int above = tempSlot();
        layers.add(new Layer.Save(above, size));
        layers.add(new Layer.Restore(x, size));
        reluAbove(size, lo);
        layers.add(new Layer.AddSaved(above, size));
        slotBusy[x] = false;
        slotBusy[above] = false;
    }

    /** lo + ReLU(x - lo): max(x, lo). */
    private void reluAbove(int size, double lo) {
        if (lo != 0) {
            layers.add(new Layer.Scale(size, 1, -lo));
        }
        layers.add(new Layer.Relu(size));
        if (lo != 0) {
            layers.add(new Layer.Scale(size, 1, lo));
        }
    }

    /** LeakyReLU(x) = ReLU(x) - alpha·ReLU(-x), exact: two ReLUs and public scale steps. */
    private void leakyRelu(double alpha) {
        int size = size();
        if (alpha == 0) {
            layers.add(new Layer.Relu(size));
            return;
        }
        int x = tempSlot();
        layers.add(new Layer.Save(x, size));
        layers.add(new Layer.Scale(size, -1, 0));
        layers.add(new Layer.Relu(size));
        layers.add(new Layer.Scale(size, -alpha, 0));
        int negative = tempSlot();
        layers.add(new Layer.Save(negative, size));
        layers.add(new Layer.Restore(x, size));
        layers.add(new Layer.Relu(size));
        layers.add(new Layer.AddSaved(negative, size));
        slotBusy[x] = false;
        slotBusy[negative] = false;
    }

    /** A free slot for a value kept within one node's expansion; the caller frees it. */
    private int tempSlot() {
        for (int slot = 0; slot < slotBusy.length; slot++) {
            if (!slotBusy[slot]) {
                slotBusy[slot] = true;
                return slot;
            }
        }
        throw new ModelException("the graph keeps more than " + slotBusy.length + " values alive at once");
    }

    /** Keeps {@code value} in a free slot if it is current, not kept yet, and still has readers. */
    private void keepIfStillRead(String value) {
        if (!value.equals(current) || slotOf.containsKey(value) || readers.getOrDefault(value, 0) == 0) {
            return;
        }
        int slot = 0;
        while (slot < slotBusy.length && slotBusy[slot]) {
            slot++;
        }
        if (slot == slotBusy.length) {
            throw new ModelException("the graph keeps more than " + slotBusy.length + " values alive at once");
        }
        slotBusy[slot] = true;
        slotOf.put(value, slot);
        slotShape.put(value, shape.clone());
        layers.add(new Layer.Save(slot, size()));
    }

    /** One reader of {@code value} has read it; the last one frees its slot. */
    private void read(String value) {
        int left = readers.merge(value, -1, Integer::sum);
        if (left == 0 && slotOf.containsKey(value)) {
            slotBusy[slotOf.remove(value)] = false;
            slotShape.remove(value);
        }
    }

    private void add(OnnxMl.NodeProto n, List<String> computed, String where) {
        if (computed.size() == 2) {
            residual(computed, where);
            return;
        }
        String constant = n.getInput(0).equals(computed.get(0)) ? n.getInput(1) : n.getInput(0);
        if (layers.isEmpty() || !(layers.get(layers.size() - 1) instanceof Layer.Linear prev) || !floats.containsKey(constant)) {
            throw new ModelException(where + ": a constant may be added only as the bias right after Conv, Gemm or MatMul");
        }
        float[] b = floats.get(constant);
        int channels = prev.conv() ? prev.geometry()[3] : prev.geometry()[0];
        if (b.length != channels && b.length != 1) {
            throw new ModelException(where + ": bias has " + b.length + " values for " + channels + " outputs");
        }
        double[] bias = prev.bias().clone();
        for (int i = 0; i < channels; i++) {
            bias[i] += b[b.length == 1 ? 0 : i];
        }
        layers.set(layers.size() - 1, new Layer.Linear(prev.conv(), prev.geometry(), prev.weights(), bias));
    }

    /**
     * Concat of computed values along the channels (axis 1 of N×C×H×W or of N×M; the branches of an Inception block):
     * the current value kept too, then the first input restored and each next one appended from its slot
     * ({@link Layer.ConcatSaved}), all local on shares.
     */
    private void concat(OnnxMl.NodeProto n, Map<String, OnnxMl.AttributeProto> attrs, String where) {
        long axis = attrs.containsKey("axis") ? attrs.get("axis").getI() : 1;
        int rank = shape.length + 1;
        if (axis != 1 && axis != 1 - rank) {
            throw new ModelException(where + ": a concatenation of computed values is taken along the channels (axis 1) only, got axis " + axis);
        }
        List<String> parts = n.getInputList();
        String main = current;
        int mainSlot = -1;
        for (String p : parts) {
            if (!p.equals(main) && (floats.containsKey(p) || int64s.containsKey(p))) {
                throw new ModelException(where + ": concatenates the constant '" + p + "' with computed values; only computed values are taken");
            }
        }
        if (!parts.get(0).equals(main) || parts.stream().filter(main::equals).count() > 1) {
            mainSlot = tempSlot();
            layers.add(new Layer.Save(mainSlot, size()));
        }
        int[] first = parts.get(0).equals(main) ? shape.clone() : slotShape.get(parts.get(0));
        int[] out = first.clone();
        if (!parts.get(0).equals(main)) {
            layers.add(new Layer.Restore(slotOf(parts.get(0), where), size(first)));
        }
        for (int i = 1; i < parts.size(); i++) {
            String p = parts.get(i);
            int[] ps = p.equals(main) ? shape : slotShape.get(p);
            int slot = p.equals(main) ? mainSlot : slotOf(p, where);
            if (ps.length != out.length || !Arrays.equals(Arrays.copyOfRange(ps, 1, ps.length), Arrays.copyOfRange(out, 1, out.length))) {
                throw new ModelException(where + ": concatenates shapes " + Arrays.toString(out) + " and " + Arrays.toString(ps)
                        + ", which differ beyond the channels");
            }
            layers.add(new Layer.ConcatSaved(slot, size(out), size(ps)));
            out[0] += ps[0];
        }
        for (int i = 0; i < parts.size(); i++) {
            if (!parts.get(i).equals(main)) {
                read(parts.get(i));
            }
        }
        if (mainSlot >= 0) {
            slotBusy[mainSlot] = false;
        }
        shape = out;
    }

    private int slotOf(String value, String where) {
        Integer slot = slotOf.get(value);
        if (slot == null) {
            throw new ModelException(where + " reads '" + value + "', which no earlier node computed");
        }
        return slot;
    }

    private static int size(int[] s) {
        int n = 1;
        for (int d : s) {
            n *= d;
        }
        return n;
    }

    /** x + y for two computed tensors of one shape: current plus a kept value. */
    private void residual(List<String> computed, String where) {
        String other = computed.get(0).equals(current) ? computed.get(1) : computed.get(0);
        if (other.equals(current)) {
            keepIfStillRead(current);
        }
        Integer slot = slotOf.get(other);
        if (slot == null) {
            throw new ModelException(where + " adds '" + other + "', which no earlier node computed");
        }
        if (!Arrays.equals(slotShape.get(other), shape)) {
            throw new ModelException(where + ": adds shapes " + Arrays.toString(shape) + " and "
                    + Arrays.toString(slotShape.get(other)) + "; broadcasting is not supported");
        }
        layers.add(new Layer.AddSaved(slot, size()));
        read(other);
    }

    private void maxPool(Map<String, OnnxMl.AttributeProto> a, String where) {
        if (shape.length != 3) {
            throw new ModelException(where + ": needs a c×h×w input, got shape " + Arrays.toString(shape));
        }
        int k = kernel(a, where);
        int stride = uniform(a, "strides", 1, where);
        int pad = pads(a, where);
        if (pad != 0 && !nonNegative.contains(current) && (layers.isEmpty() || !(layers.get(layers.size() - 1) instanceof Layer.Relu))) {
            throw new ModelException(where + ": padded max-pooling is supported only right after a ReLU, where "
                    + "padding with zeros equals ONNX's padding with -infinity");
        }
        if (pad >= k) {
            throw new ModelException(where + ": pads of " + pad + " for a kernel of " + k);
        }
        requireOnes(a, "dilations", where);
        if (a.containsKey("ceil_mode") && a.get("ceil_mode").getI() != 0) {
            throw new ModelException(where + ": ceil_mode = 1 is not supported");
        }
        Layer.MaxPool p = new Layer.MaxPool(shape[0], shape[1], shape[2], k, stride, pad);
        layers.add(p);
        shape = new int[] {shape[0], p.outH(), p.outW()};
    }

    /** Average pooling: public weights, so a local step on shares ({@link Layer.AvgPool}). */
    private void averagePool(Map<String, OnnxMl.AttributeProto> a, String where, boolean global) {
        if (shape.length != 3) {
            throw new ModelException(where + ": needs a c×h×w input, got shape " + Arrays.toString(shape));
        }
        int kh = global ? shape[1] : kernel(a, where);
        int kw = global ? shape[2] : kh;
        int stride = global ? 1 : uniform(a, "strides", 1, where);
        if (!global && (pads(a, where) != 0 || a.containsKey("ceil_mode") && a.get("ceil_mode").getI() != 0)) {
            throw new ModelException(where + ": padding and ceil_mode are not supported for average pooling");
        }
        if (kh > shape[1] || kw > shape[2] || stride < 1) {
            throw new ModelException(where + ": a " + kh + "x" + kw + " window does not fit a " + shape[1] + "x" + shape[2] + " input");
        }
        Layer.AvgPool p = new Layer.AvgPool(shape[0], shape[1], shape[2], kh, kw, stride);
        layers.add(p);
        shape = new int[] {shape[0], p.outH(), p.outW()};
    }

    /** ReduceMean over the two spatial axes of a c×h×w value: a global average pool (flattened unless keepdims). */
    private void reduceMean(OnnxMl.NodeProto n, Map<String, OnnxMl.AttributeProto> a, String where) {
        long[] axes = a.containsKey("axes") ? a.get("axes").getIntsList().stream().mapToLong(Long::longValue).toArray()
                : n.getInputCount() > 1 ? int64s.get(n.getInput(1)) : null;
        long[] sorted = axes == null ? null : Arrays.stream(axes).map(x -> x < 0 ? x + 4 : x).sorted().toArray();
        if (shape.length != 3 || sorted == null || !Arrays.equals(sorted, new long[] {2, 3})) {
            throw new ModelException(where + ": ReduceMean is taken over the spatial axes (2, 3) of an n×c×h×w value only, got axes "
                    + Arrays.toString(axes) + " of a value shaped " + Arrays.toString(shape));
        }
        boolean keep = !a.containsKey("keepdims") || a.get("keepdims").getI() != 0;
        averagePool(a, where, true);
        if (!keep) {
            shape = new int[] {shape[0]};
        }
    }

    /**
     * Mul or Div by one constant right after a linear layer (y·c = (c·W)x + c·b), or after the ReLU that follows one
     * when c &gt; 0 (ReLU(z)·c = ReLU(c·z)): folded into that layer's weights. False where it does not apply.
     */
    /**
     * x + c, x - c, c - x, x·c or x / c with a constant c between layers: a public scale step on shares for a scalar
     * ({@link Layer.Scale}), a per-channel linear layer for one value per channel.
     */
    private void constantAffine(OnnxMl.NodeProto n, String where) {
        String op = n.getOpType();
        boolean first = n.getInput(0).equals(current);
        float[] c = floats.get(first ? n.getInput(1) : n.getInput(0));
        if (c == null) {
            throw new ModelException(where + " reads a value that is neither computed nor a constant");
        }
        if (op.equals("Div") && !first) {
            throw new ModelException(where + " divides a constant by a computed value, which is not linear; only x / c is supported");
        }
        int channels = shape[0];
        int per = c.length == 1 ? 1 : c.length == channels && (shape.length == 3 || shape.length == 1) ? c.length : -1;
        if (per < 0) {
            throw new ModelException(where + ": a constant of " + c.length + " values does not broadcast as one scalar or one value per channel"
                    + " over a value shaped " + Arrays.toString(shape));
        }
        double[] scale = new double[per];
        double[] shift = new double[per];
        for (int i = 0; i < per; i++) {
            double v = c[i];
            if (op.equals("Div") && v == 0) {
                throw new ModelException(where + " divides by zero");
            }
            scale[i] = switch (op) {
                case "Mul" -> v;
                case "Div" -> 1 / v;
                case "Sub" -> first ? 1 : -1;
                default -> 1;
            };
            shift[i] = switch (op) {
                case "Add" -> v;
                case "Sub" -> first ? -v : v;
                default -> 0;
            };
        }
        if (per == 1) {
            layers.add(new Layer.Scale(size(), scale[0], shift[0]));
        } else {
            channelAffine(scale, shift, where);
        }
    }

    private boolean scaleLastLinear(OnnxMl.NodeProto n, String where) {
        String k = n.getInput(0).equals(current) ? n.getInput(1) : n.getInput(0);
        float[] c = floats.get(k);
        if (c == null || c.length != 1 || (n.getOpType().equals("Div") && (!n.getInput(0).equals(current) || c[0] == 0))) {
            return false;
        }
        double factor = n.getOpType().equals("Div") ? 1.0 / c[0] : c[0];
        int at = layers.size() - 1;
        if (at >= 1 && layers.get(at) instanceof Layer.Relu && factor > 0) {
            at--;
        }
        if (at < 0 || !(layers.get(at) instanceof Layer.Linear lin) || lin.weights() == null || at != layers.size() - 1 && factor <= 0) {
            return false;
        }
        double[] w = lin.weights().clone();
        double[] b = lin.bias().clone();
        for (int i = 0; i < w.length; i++) {
            w[i] *= factor;
        }
        for (int i = 0; i < b.length; i++) {
            b[i] *= factor;
        }
        layers.set(at, new Layer.Linear(lin.conv(), lin.geometry(), w, b));
        return true;
    }

    private void batchNorm(OnnxMl.NodeProto n, Map<String, OnnxMl.AttributeProto> a, String where) {
        if (n.getOutputCount() > 1 && n.getOutputList().stream().skip(1).anyMatch(s -> !s.isEmpty())) {
            throw new ModelException(where + ": training-mode BatchNormalization (with running-statistics outputs) is not supported");
        }
        double eps = a.containsKey("epsilon") ? a.get("epsilon").getF() : 1e-5;
        float[] gamma = weight(n, 1, where);
        float[] beta = weight(n, 2, where);
        float[] mean = weight(n, 3, where);
        float[] var = weight(n, 4, where);
        if (layers.isEmpty() || !(layers.get(layers.size() - 1) instanceof Layer.Linear prev)) {
            standaloneBatchNorm(gamma, beta, mean, var, eps, where);
            return;
        }
        int channels = prev.conv() ? prev.geometry()[3] : prev.geometry()[0];
        for (float[] p : new float[][] {gamma, beta, mean, var}) {
            if (p.length != channels) {
                throw new ModelException(where + ": parameters have " + p.length + " values for " + channels + " channels");
            }
        }
        double[] w = prev.weights().clone();
        double[] bias = prev.bias().clone();
        int per = w.length / channels;
        for (int ch = 0; ch < channels; ch++) {
            double s = gamma[ch] / Math.sqrt(var[ch] + eps);
            for (int i = 0; i < per; i++) {
                w[ch * per + i] *= s;
            }
            bias[ch] = (bias[ch] - mean[ch]) * s + beta[ch];
        }
        layers.set(layers.size() - 1, new Layer.Linear(prev.conv(), prev.geometry(), w, bias));
    }

    /**
     * A BatchNormalization with no Conv or Gemm right before it (Conv-ReLU-BN, or after a pool or a residual Add): its
     * per-channel scale and shift are the server's weights, so it runs as a linear layer through the linear engine, a
     * depthwise 1x1 convolution (groups = channels) on an image, a diagonal dense layer on a flat vector.
     */
    private void standaloneBatchNorm(float[] gamma, float[] beta, float[] mean, float[] var, double eps, String where) {
        int channels = shape[0];
        for (float[] p : new float[][] {gamma, beta, mean, var}) {
            if (p.length != channels) {
                throw new ModelException(where + ": parameters have " + p.length + " values for " + channels + " channels");
            }
        }
        double[] scale = new double[channels];
        double[] bias = new double[channels];
        for (int ch = 0; ch < channels; ch++) {
            scale[ch] = gamma[ch] / Math.sqrt(var[ch] + eps);
            bias[ch] = beta[ch] - mean[ch] * scale[ch];
        }
        channelAffine(scale, bias, where);
    }

    /** scale·x + bias per channel (of an image) or per element (of a flat vector), as a linear layer. */
    private void channelAffine(double[] scale, double[] bias, String where) {
        int channels = scale.length;
        if (shape.length == 3) {
            layers.add(new Layer.Linear(true, new int[] {channels, shape[1], shape[2], channels, 1, 1, 1, 0, channels}, scale, bias));
        } else if (shape.length == 1 && channels <= 4096) {
            double[] w = new double[channels * channels];
            for (int ch = 0; ch < channels; ch++) {
                w[ch * channels + ch] = scale[ch];
            }
            layers.add(new Layer.Linear(false, new int[] {channels, channels}, w, bias));
        } else {
            throw new ModelException(where + ": a per-channel scale or shift that does not follow a Conv or Gemm is taken on an image"
                    + " (c×h×w) or a flat vector of at most 4096 values; here on a value shaped " + Arrays.toString(shape));
        }
    }

    /**
     * An affine node on the raw input (x + c, x - c, c - x, x·c, x / c, or BatchNormalization), with c a scalar or one
     * value per channel: composed into the model's input normalisation.
     */
    private void normaliseInput(OnnxMl.NodeProto n, Map<String, OnnxMl.AttributeProto> attrs, String where) {
        String op = n.getOpType();
        int channels = shape[0]; // a flat input's elements, or an image's channels
        double[] mul;
        double[] add;
        if (op.equals("BatchNormalization")) {
            if (n.getOutputCount() > 1 && n.getOutputList().stream().skip(1).anyMatch(o -> !o.isEmpty())) {
                throw new ModelException(where + ": training-mode BatchNormalization (with running-statistics outputs) is not supported");
            }
            double eps = attrs.containsKey("epsilon") ? attrs.get("epsilon").getF() : 1e-5;
            float[] gamma = perChannel(weight(n, 1, where), channels, where);
            float[] beta = perChannel(weight(n, 2, where), channels, where);
            float[] mean = perChannel(weight(n, 3, where), channels, where);
            float[] var = perChannel(weight(n, 4, where), channels, where);
            mul = new double[gamma.length];
            add = new double[gamma.length];
            for (int c = 0; c < mul.length; c++) {
                mul[c] = gamma[c] / Math.sqrt(var[c] + eps);
                add[c] = beta[c] - mean[c] * mul[c];
            }
        } else {
            boolean inputFirst = n.getInput(0).equals(current);
            float[] k = perChannel(weight(n, inputFirst ? 1 : 0, where), channels, where);
            mul = new double[k.length];
            add = new double[k.length];
            for (int c = 0; c < k.length; c++) {
                switch (op) {
                    case "Add" -> {
                        mul[c] = 1;
                        add[c] = k[c];
                    }
                    case "Sub" -> {
                        mul[c] = inputFirst ? 1 : -1;
                        add[c] = inputFirst ? -k[c] : k[c];
                    }
                    case "Mul" -> mul[c] = k[c];
                    default -> {
                        if (!inputFirst || k[c] == 0) {
                            throw new ModelException(where + ": only the input divided by a non-zero constant is affine");
                        }
                        mul[c] = 1.0 / k[c];
                    }
                }
            }
        }
        int width = Math.max(mul.length, inputAffine == null ? 1 : inputAffine.channels());
        InputAffine before = inputAffine == null ? InputAffine.identity(width) : widen(inputAffine, width);
        inputAffine = before.then(mul, add);
    }

    /** A constant as one value, or one per channel (dims such as [C], [C,1,1], [1,C,1,1]); anything else is refused. */
    private float[] perChannel(float[] k, int channels, String where) {
        if (k.length == 1 || k.length == channels) {
            return k;
        }
        throw new ModelException(where + ": a normalisation constant must be one value or one per input channel (" + channels + "), got "
                + k.length + " values");
    }

    private static InputAffine widen(InputAffine a, int channels) {
        if (a.channels() == channels) {
            return a;
        }
        return InputAffine.identity(channels).then(a.scale(), a.shift());
    }

    /** Gather, Unsqueeze, Squeeze, Concat or Cast on constant integer tensors (at most one dimension): a constant. */
    private void foldShapeOp(OnnxMl.NodeProto n, String where) {
        String op = n.getOpType();
        long[] out;
        switch (op) {
            case "Gather" -> {
                long[] data = int64s.get(n.getInput(0));
                long[] idx = int64s.get(n.getInput(1));
                out = new long[idx.length];
                for (int i = 0; i < idx.length; i++) {
                    long k = idx[i] < 0 ? idx[i] + data.length : idx[i];
                    if (k < 0 || k >= data.length) {
                        throw new ModelException(where + ": index " + idx[i] + " outside a shape of " + data.length + " dimensions");
                    }
                    out[i] = data[(int) k];
                }
            }
            case "Concat" -> {
                java.util.stream.LongStream all = java.util.stream.LongStream.empty();
                for (String in : n.getInputList()) {
                    all = java.util.stream.LongStream.concat(all, Arrays.stream(int64s.get(in)));
                }
                out = all.toArray();
            }
            case "Cast" -> {
                for (OnnxMl.AttributeProto a : n.getAttributeList()) {
                    if (a.getName().equals("to") && a.getI() != OnnxMl.TensorProto.DataType.INT64_VALUE) {
                        throw new ModelException(where + ": only a cast of a shape to int64 is folded");
                    }
                }
                out = int64s.get(n.getInput(0));
            }
            default -> out = int64s.get(n.getInput(0)); // Unsqueeze, Squeeze: the same values in a vector
        }
        int64s.put(n.getOutput(0), out);
        dims.put(n.getOutput(0), new long[] {out.length});
    }

    private void reshape(OnnxMl.NodeProto n, String where) {
        long[] target = int64s.get(n.getInputCount() > 1 ? n.getInput(1) : "");
        if (target == null) {
            throw new ModelException(where + ": the target shape must be a constant");
        }
        if (target.length < 2 || (target[0] != 1 && target[0] != -1 && target[0] != 0)) {
            throw new ModelException(where + ": the target shape must keep the batch dimension first, got " + Arrays.toString(target));
        }
        int[] s = new int[target.length - 1];
        int unknown = -1;
        long known = 1;
        for (int i = 1; i < target.length; i++) {
            if (target[i] == -1) {
                unknown = i - 1;
            } else {
                s[i - 1] = (int) (target[i] == 0 ? shape[i - 1] : target[i]);
                known *= s[i - 1];
            }
        }
        if (unknown >= 0) {
            s[unknown] = (int) (size() / known);
            known *= s[unknown];
        }
        if (known != size()) {
            throw new ModelException(where + ": cannot reshape " + size() + " values to " + Arrays.toString(target));
        }
        shape = s;
    }

    private void reorderReluMaxPool() {
        for (int i = 0; i + 1 < layers.size(); i++) {
            if (layers.get(i) instanceof Layer.Relu && layers.get(i + 1) instanceof Layer.MaxPool p) {
                layers.set(i, p);
                layers.set(i + 1, new Layer.Relu(p.outputSize()));
            }
        }
    }

    /** Values per inference at the current node: exact, and refused past the bound rather than wrapped around. */
    private int size() {
        long n = 1;
        for (int v : shape) {
            n *= v;
            if (n > MAX_INPUT_VALUES * 64L) {
                throw new ModelException("a tensor of shape " + Arrays.toString(shape) + " holds more than " + MAX_INPUT_VALUES * 64L
                        + " values per inference");
            }
        }
        return (int) n;
    }

    /** The largest input per inference the importer takes (ResNet-50's 3x224x224 is 150,528). */
    static final long MAX_INPUT_VALUES = 1 << 24;

    private float[] weight(OnnxMl.NodeProto n, int input, String where) {
        if (n.getInputCount() <= input) {
            throw new ModelException(where + ": input " + input + " is missing");
        }
        float[] w = floats.get(n.getInput(input));
        if (w == null) {
            throw new ModelException(where + ": input '" + n.getInput(input) + "' must be a constant float tensor (an initializer)");
        }
        for (int i = 0; i < w.length; i++) {
            if (!Float.isFinite(w[i])) {
                throw new ModelException(where + ": weight '" + n.getInput(input) + "'[" + i + "] is " + w[i]);
            }
        }
        return w;
    }

    private void tensor(OnnxMl.TensorProto t) {
        long[] d = t.getDimsList().stream().mapToLong(Long::longValue).toArray();
        long count = 1;
        for (long x : d) {
            if (x < 0 || x > MAX_ELEMENTS || (count *= x) > MAX_ELEMENTS) {
                throw new ModelException("initializer '" + t.getName() + "' has impossible dims " + Arrays.toString(d));
            }
        }
        dims.put(t.getName(), d);
        ByteBuffer raw = t.getRawData().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
        switch (t.getDataType()) {
            case 1 -> { // FLOAT
                float[] v = new float[(int) count];
                if (t.getFloatDataCount() == count) {
                    for (int i = 0; i < count; i++) {
                        v[i] = t.getFloatData(i);
                    }
                } else if (raw.remaining() == 4 * count) {
                    raw.asFloatBuffer().get(v);
                } else {
                    throw new ModelException("initializer '" + t.getName() + "' holds the wrong number of values for dims " + Arrays.toString(d));
                }
                floats.put(t.getName(), v);
            }
            case 7 -> { // INT64
                long[] v = new long[(int) count];
                if (t.getInt64DataCount() == count) {
                    for (int i = 0; i < count; i++) {
                        v[i] = t.getInt64Data(i);
                    }
                } else if (raw.remaining() == 8 * count) {
                    raw.asLongBuffer().get(v);
                } else {
                    throw new ModelException("initializer '" + t.getName() + "' holds the wrong number of values for dims " + Arrays.toString(d));
                }
                int64s.put(t.getName(), v);
            }
            default -> { } // other types are an error only if a supported operator needs them as weights
        }
    }

    private static double[] toDouble(float[] f) {
        double[] d = new double[f.length];
        for (int i = 0; i < f.length; i++) {
            d[i] = f[i];
        }
        return d;
    }

    private static int kernel(Map<String, OnnxMl.AttributeProto> a, String where) {
        OnnxMl.AttributeProto k = a.get("kernel_shape");
        if (k == null || k.getIntsCount() != 2 || k.getInts(0) != k.getInts(1)) {
            throw new ModelException(where + ": only square 2-D kernels are supported");
        }
        return (int) k.getInts(0);
    }

    private static int uniform(Map<String, OnnxMl.AttributeProto> a, String name, int fallback, String where) {
        OnnxMl.AttributeProto v = a.get(name);
        if (v == null) {
            return fallback;
        }
        long first = v.getInts(0);
        for (long x : v.getIntsList()) {
            if (x != first) {
                throw new ModelException(where + ": only equal " + name + " in every dimension are supported, got " + v.getIntsList());
            }
        }
        return (int) first;
    }

    private static int pads(Map<String, OnnxMl.AttributeProto> a, String where) {
        if (a.containsKey("auto_pad") && !a.get("auto_pad").getS().toStringUtf8().equals("NOTSET")) {
            throw new ModelException(where + ": auto_pad is not supported; export explicit pads");
        }
        return a.containsKey("pads") ? uniform(a, "pads", 0, where) : 0;
    }

    private static void requireOnes(Map<String, OnnxMl.AttributeProto> a, String name, String where) {
        if (a.containsKey(name) && a.get(name).getIntsList().stream().anyMatch(x -> x != 1)) {
            throw new ModelException(where + ": " + name + " other than 1 are not supported");
        }
    }
}
