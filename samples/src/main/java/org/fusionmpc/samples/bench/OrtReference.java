package org.fusionmpc.samples.bench;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.FloatBuffer;
import java.util.Map;

/** ONNX Runtime on one input at a time: the plaintext reference and baseline of the inference benches. */
final class OrtReference implements AutoCloseable {

    private final OrtEnvironment env = OrtEnvironment.getEnvironment();
    private final OrtSession session;
    private final String input;

    OrtReference(byte[] model) throws OrtException {
        OrtSession.SessionOptions o = new OrtSession.SessionOptions();
        o.setIntraOpNumThreads(1);
        session = env.createSession(model, o);
        input = session.getInputNames().iterator().next();
    }

    int label(double[] x, long[] shape) throws OrtException {
        return argmax(logits(x, shape));
    }

    double[] logits(double[] x, long[] shape) throws OrtException {
        float[] f = new float[x.length];
        for (int i = 0; i < f.length; i++) {
            f[i] = (float) x[i];
        }
        try (OnnxTensor t = OnnxTensor.createTensor(env, FloatBuffer.wrap(f), shape);
             OrtSession.Result r = session.run(Map.of(input, t))) {
            FloatBuffer y = ((OnnxTensor) r.get(0)).getFloatBuffer();
            double[] out = new double[y.remaining()];
            for (int i = 0; i < out.length; i++) {
                out[i] = y.get(i);
            }
            return out;
        }
    }

    static int argmax(double[] v) {
        int best = 0;
        for (int i = 1; i < v.length; i++) {
            best = v[i] > v[best] ? i : best;
        }
        return best;
    }

    @Override
    public void close() throws OrtException {
        session.close();
    }
}
