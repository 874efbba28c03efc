package org.fusionmpc.semihonest;

import ai.onnx.proto.OnnxMl;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/** Builds small ONNX models in memory, one operator or a few, for tests against ONNX Runtime. */
final class TinyModels {

    private final List<OnnxMl.NodeProto> nodes = new ArrayList<>();
    private final List<OnnxMl.TensorProto> inits = new ArrayList<>();
    private final long[] inputDims;
    private final SplittableRandom random = new SplittableRandom(11);
    private String current = "input";
    private int count;

    TinyModels(long... inputDims) {
        this.inputDims = inputDims;
    }

    String current() {
        return current;
    }

    /** A random float initializer in [-1, 1) with the given dims; returns its name. */
    String weight(long... dims) {
        long n = 1;
        for (long d : dims) {
            n *= d;
        }
        float[] v = new float[(int) n];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) (random.nextDouble() * 2 - 1);
        }
        return tensor(dims, v);
    }

    String tensor(long[] dims, float[] v) {
        String name = "w" + inits.size();
        OnnxMl.TensorProto.Builder t = OnnxMl.TensorProto.newBuilder().setName(name).setDataType(1);
        for (long d : dims) {
            t.addDims(d);
        }
        for (float f : v) {
            t.addFloatData(f);
        }
        inits.add(t.build());
        return name;
    }

    String int64s(long... v) {
        String name = "s" + inits.size();
        OnnxMl.TensorProto.Builder t = OnnxMl.TensorProto.newBuilder().setName(name).setDataType(7).addDims(v.length);
        for (long x : v) {
            t.addInt64Data(x);
        }
        inits.add(t.build());
        return name;
    }

    /** Adds a node reading the current value (and {@code more} inputs); its output becomes current. */
    TinyModels node(String op, List<String> more, OnnxMl.AttributeProto... attrs) {
        String out = op.toLowerCase() + "_" + count++;
        OnnxMl.NodeProto.Builder n = OnnxMl.NodeProto.newBuilder().setOpType(op).setName(op + count).addInput(current).addOutput(out);
        return add(n, more, attrs, out);
    }

    private TinyModels add(OnnxMl.NodeProto.Builder n, List<String> more, OnnxMl.AttributeProto[] attrs, String out) {
        n.addAllInput(more);
        for (OnnxMl.AttributeProto a : attrs) {
            n.addAttribute(a);
        }
        nodes.add(n.build());
        current = out;
        return this;
    }

    static OnnxMl.AttributeProto ints(String name, long... v) {
        OnnxMl.AttributeProto.Builder a = OnnxMl.AttributeProto.newBuilder().setName(name).setType(OnnxMl.AttributeProto.AttributeType.INTS);
        for (long x : v) {
            a.addInts(x);
        }
        return a.build();
    }

    static OnnxMl.AttributeProto integer(String name, long v) {
        return OnnxMl.AttributeProto.newBuilder().setName(name).setType(OnnxMl.AttributeProto.AttributeType.INT).setI(v).build();
    }

    static OnnxMl.AttributeProto real(String name, float v) {
        return OnnxMl.AttributeProto.newBuilder().setName(name).setType(OnnxMl.AttributeProto.AttributeType.FLOAT).setF(v).build();
    }

    byte[] build() {
        OnnxMl.TensorShapeProto.Builder shape = OnnxMl.TensorShapeProto.newBuilder();
        for (long d : inputDims) {
            shape.addDim(OnnxMl.TensorShapeProto.Dimension.newBuilder().setDimValue(d));
        }
        OnnxMl.TypeProto inType = OnnxMl.TypeProto.newBuilder().setTensorType(
                OnnxMl.TypeProto.Tensor.newBuilder().setElemType(1).setShape(shape)).build();
        OnnxMl.TypeProto outType = OnnxMl.TypeProto.newBuilder().setTensorType(OnnxMl.TypeProto.Tensor.newBuilder().setElemType(1)).build();
        OnnxMl.GraphProto g = OnnxMl.GraphProto.newBuilder().setName("tiny").addAllNode(nodes).addAllInitializer(inits)
                .addInput(OnnxMl.ValueInfoProto.newBuilder().setName("input").setType(inType))
                .addOutput(OnnxMl.ValueInfoProto.newBuilder().setName(current).setType(outType)).build();
        return OnnxMl.ModelProto.newBuilder().setIrVersion(8).setProducerName("fusionmpc-test")
                .addOpsetImport(OnnxMl.OperatorSetIdProto.newBuilder().setDomain("").setVersion(13)).setGraph(g).build().toByteArray();
    }
}
