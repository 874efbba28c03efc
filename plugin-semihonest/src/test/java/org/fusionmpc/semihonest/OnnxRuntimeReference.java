package org.fusionmpc.semihonest;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.Map;

/** ONNX Runtime as the independent plaintext reference: logits of one input at a time. */
final class OnnxRuntimeReference implements AutoCloseable {

    private final OrtEnvironment env = OrtEnvironment.getEnvironment();
    private final OrtSession session;
    private final String input;
    private final long[] shape;

    OnnxRuntimeReference(Path model, long[] shape) throws OrtException {
        this.session = env.createSession(model.toString(), new OrtSession.SessionOptions());
        this.input = session.getInputNames().iterator().next();
        this.shape = shape;
    }

    OnnxRuntimeReference(byte[] model, long[] shape) throws OrtException {
        this.session = env.createSession(model, new OrtSession.SessionOptions());
        this.input = session.getInputNames().iterator().next();
        this.shape = shape;
    }

    double[] logits(double[] x) throws OrtException {
        float[] f = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            f[i] = (float) x[i];
        }
        try (OnnxTensor t = OnnxTensor.createTensor(env, FloatBuffer.wrap(f), shape);
             OrtSession.Result r = session.run(Map.of(input, t))) {
            OnnxTensor out = (OnnxTensor) r.get(0);
            FloatBuffer fb = out.getFloatBuffer();
            double[] y = new double[fb.remaining()];
            for (int i = 0; i < y.length; i++) {
                y[i] = fb.get(i);
            }
            return y;
        }
    }

    static int argmax(double[] v) {
        int best = 0;
        for (int i = 1; i < v.length; i++) {
            if (v[i] > v[best]) {
                best = i;
            }
        }
        return best;
    }

    @Override
    public void close() throws OrtException {
        session.close();
    }
}
