package org.fusionmpc.semihonest;

import ai.onnx.proto.OnnxMl;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Builds ONNX models in memory as a chain of nodes, each reading the previous node's output unless
 * {@link #from} moves back to an earlier value (a residual block's shortcut): the reference
 * networks ({@link ReferenceNetworks}) and the one-operator models of the importer's tests, all checked against
 * ONNX Runtime. Weights are float initializers; random ones come from a seeded generator, so a model is
 * reproducible from its seed.
 */
final class OnnxGraphBuilder {

    private final List<OnnxMl.NodeProto> nodes = new ArrayList<>();
    private final List<OnnxMl.TensorProto> inits = new ArrayList<>();
    private final long[] inputDims;
    private final SplittableRandom random;
    private String current = "input";
    private int count;
    private long opset = 13;

    public OnnxGraphBuilder(long... inputDims) {
        this(new SplittableRandom(11), inputDims);
    }

    private OnnxGraphBuilder(SplittableRandom random, long[] inputDims) {
        this.inputDims = inputDims.clone();
        this.random = random;
    }

    /** A builder whose random weights come from {@code seed}. */
    public static OnnxGraphBuilder seeded(long seed, long... inputDims) {
        return new OnnxGraphBuilder(new SplittableRandom(seed), inputDims);
    }

    public String current() {
        return current;
    }

    /** The model's default-domain opset (13 unless set; older ones for exporter habits such as attribute pads). */
    public OnnxGraphBuilder opset(long version) {
        this.opset = version;
        return this;
    }

    /** Makes an earlier value current, so that the next node reads it: where a branch of the graph starts. */
    public OnnxGraphBuilder from(String value) {
        current = value;
        return this;
    }

    /**
     * He (Kaiming) normal initialisation, N(0, 2/fanIn): what keeps activations of a random ReLU network at a
     * steady scale through its depth. Returns the initializer's name.
     */
    public String heNormal(long fanIn, long... dims) {
        return heNormal(1.0, fanIn, dims);
    }

    /** He-normal weights scaled by {@code gain}. */
    public String heNormal(double gain, long fanIn, long... dims) {
        float[] v = new float[Math.toIntExact(count(dims))];
        double std = gain * Math.sqrt(2.0 / fanIn);
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) (gaussian() * std);
        }
        return tensor(dims, v);
    }

    /** A float initializer of zeros. */
    public String zeros(long... dims) {
        return tensor(dims, new float[Math.toIntExact(count(dims))]);
    }

    private double gaussian() { // Box-Muller: SplittableRandom has no nextGaussian on Java 17
        double u = 1 - random.nextDouble();
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random.nextDouble());
    }

    private static long count(long[] dims) {
        long n = 1;
        for (long d : dims) {
            n *= d;
        }
        return n;
    }

    /** A random float initializer in [-1, 1) with the given dims; returns its name. */
    public String weight(long... dims) {
        float[] v = new float[Math.toIntExact(count(dims))];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) (random.nextDouble() * 2 - 1);
        }
        return tensor(dims, v);
    }

    public String tensor(long[] dims, float[] v) {
        String name = "w" + inits.size();
        OnnxMl.TensorProto.Builder t = OnnxMl.TensorProto.newBuilder().setName(name).setDataType(1);
        for (long d : dims) {
            t.addDims(d);
        }
        // raw_data, little-endian: what exporters write, and compact for ResNet-50's 25 M weights.
        java.nio.ByteBuffer raw = java.nio.ByteBuffer.allocate(4 * v.length).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        raw.asFloatBuffer().put(v);
        t.setRawData(com.google.protobuf.ByteString.copyFrom(raw.array()));
        inits.add(t.build());
        return name;
    }

    public String int64s(long... v) {
        String name = "s" + inits.size();
        OnnxMl.TensorProto.Builder t = OnnxMl.TensorProto.newBuilder().setName(name).setDataType(7).addDims(v.length);
        for (long x : v) {
            t.addInt64Data(x);
        }
        inits.add(t.build());
        return name;
    }

    /** A 0-dimensional int64 initializer (a scalar index, as PyTorch exports x.size(0)'s). */
    public String int64Scalar(long v) {
        String name = "s" + inits.size();
        inits.add(OnnxMl.TensorProto.newBuilder().setName(name).setDataType(7).addInt64Data(v).build());
        return name;
    }

    /** Adds a node reading the current value (and {@code more} inputs); its output becomes current. */
    public OnnxGraphBuilder node(String op, List<String> more, OnnxMl.AttributeProto... attrs) {
        String out = op.toLowerCase() + "_" + count++;
        OnnxMl.NodeProto.Builder n = OnnxMl.NodeProto.newBuilder().setOpType(op).setName(op + count).addInput(current).addOutput(out);
        return add(n, more, attrs, out);
    }

    private OnnxGraphBuilder add(OnnxMl.NodeProto.Builder n, List<String> more, OnnxMl.AttributeProto[] attrs, String out) {
        n.addAllInput(more);
        for (OnnxMl.AttributeProto a : attrs) {
            n.addAttribute(a);
        }
        nodes.add(n.build());
        current = out;
        return this;
    }

    public static OnnxMl.AttributeProto ints(String name, long... v) {
        OnnxMl.AttributeProto.Builder a = OnnxMl.AttributeProto.newBuilder().setName(name).setType(OnnxMl.AttributeProto.AttributeType.INTS);
        for (long x : v) {
            a.addInts(x);
        }
        return a.build();
    }

    public static OnnxMl.AttributeProto integer(String name, long v) {
        return OnnxMl.AttributeProto.newBuilder().setName(name).setType(OnnxMl.AttributeProto.AttributeType.INT).setI(v).build();
    }

    public static OnnxMl.AttributeProto real(String name, float v) {
        return OnnxMl.AttributeProto.newBuilder().setName(name).setType(OnnxMl.AttributeProto.AttributeType.FLOAT).setF(v).build();
    }

    public byte[] build() {
        OnnxMl.TensorShapeProto.Builder shape = OnnxMl.TensorShapeProto.newBuilder();
        for (long d : inputDims) {
            shape.addDim(OnnxMl.TensorShapeProto.Dimension.newBuilder().setDimValue(d));
        }
        OnnxMl.TypeProto inType = OnnxMl.TypeProto.newBuilder().setTensorType(
                OnnxMl.TypeProto.Tensor.newBuilder().setElemType(1).setShape(shape)).build();
        OnnxMl.TypeProto outType = OnnxMl.TypeProto.newBuilder().setTensorType(OnnxMl.TypeProto.Tensor.newBuilder().setElemType(1)).build();
        OnnxMl.GraphProto g = OnnxMl.GraphProto.newBuilder().setName("graph").addAllNode(nodes).addAllInitializer(inits)
                .addInput(OnnxMl.ValueInfoProto.newBuilder().setName("input").setType(inType))
                .addOutput(OnnxMl.ValueInfoProto.newBuilder().setName(current).setType(outType)).build();
        return OnnxMl.ModelProto.newBuilder().setIrVersion(8).setProducerName("fusionmpc")
                .addOpsetImport(OnnxMl.OperatorSetIdProto.newBuilder().setDomain("").setVersion(opset)).setGraph(g).build().toByteArray();
    }
}
