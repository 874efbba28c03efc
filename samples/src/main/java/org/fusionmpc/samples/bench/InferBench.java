package org.fusionmpc.samples.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.fusionmpc.api.testing.TwoParties;
import org.fusionmpc.api.channel.Channel;
import org.fusionmpc.ring.FixedPoint;
import org.fusionmpc.semihonest.InferenceClient;
import org.fusionmpc.semihonest.InferenceResult;
import org.fusionmpc.semihonest.InferenceServer;
import org.fusionmpc.semihonest.Mnist;
import org.fusionmpc.semihonest.Network;
import org.fusionmpc.semihonest.OutputMode;
import org.fusionmpc.semihonest.PhaseStats;

/**
 * Semi-honest secure inference, one session per MNIST test image: wall time per inference split into
 * phases, traffic and rounds, beside ONNX Runtime's plaintext inference of the same image in the same run;
 * {@code ok} = the secure label equals ONNX Runtime's. A last line, {@code infer-agreement}, gives the share
 * of images whose labels agree.
 */
public final class InferBench {

    private final Network net;
    private final byte[] model;
    private final Mnist.Dataset images;
    private final boolean tcp;
    private final Consumer<String> progress;

    public InferBench(Network net, byte[] model, Mnist.Dataset images, boolean tcp, Consumer<String> progress) {
        this.net = net;
        this.model = model;
        this.images = images;
        this.tcp = tcp;
        this.progress = progress;
    }

    public List<JsonLine> run() throws Exception {
        List<JsonLine> lines = new ArrayList<>();
        InferenceServer server = new InferenceServer(net, FixedPoint.defaults(), 1, false);
        long[] shape = shape();
        int agree = 0;
        try (OrtReference ort = new OrtReference(model)) {
            for (int i = 0; i < 20; i++) {
                ort.label(images.images()[0], shape); // warm-up
            }
            progress.accept("warm-up session (not reported)");
            Channel[] warm = (tcp ? TwoParties.TCP : TwoParties.IN_MEMORY).pair();
            try (Channel s = warm[0]; Channel c = warm[1]) {
                TwoParties.timeBoth(() -> server.serve(s), () -> new InferenceClient(OutputMode.LABEL).classify(c, new double[][] {images.images()[0]}));
            }
            for (int i = 0; i < images.size(); i++) {
                double[] x = images.images()[i];
                long t0 = System.nanoTime();
                int want = ort.label(x, shape);
                double ortMs = (System.nanoTime() - t0) / 1e6;
                progress.accept("image " + (i + 1) + "/" + images.size());
                Channel[] pair = (tcp ? TwoParties.TCP : TwoParties.IN_MEMORY).pair();
                InferenceResult[] r = new InferenceResult[1];
                try (Channel s = pair[0]; Channel c = pair[1]) {
                    TwoParties.timeBoth(() -> server.serve(s), () -> r[0] = new InferenceClient(OutputMode.LABEL).classify(c, new double[][] {x}));
                }
                boolean ok = r[0].labels()[0] == want;
                agree += ok ? 1 : 0;
                JsonLine line = new JsonLine("infer-" + net.name(), "ms", r[0].nanos() / 1e6).baseline("onnxruntime", ortMs)
                        .put("n", 1).put("image", i).put("bytes_sent", r[0].bytesSent()).put("bytes_received", r[0].bytesReceived())
                        .put("rounds", r[0].rounds());
                for (PhaseStats p : r[0].phases()) {
                    line.put(p.phase() + "_ms", p.nanos() / 1e6).put(p.phase() + "_bytes", p.bytesSent() + p.bytesReceived());
                }
                lines.add(line.put("label", r[0].labels()[0]).put("onnxruntime_label", want).put("true_label", images.labels()[i])
                        .put("transport", tcp ? "tcp" : "inmem").put("ok", ok));
            }
        }
        lines.add(new JsonLine("infer-agreement", "fraction", (double) agree / images.size()).put("n", images.size())
                .put("model", net.name()).put("ok", agree >= Math.ceil(0.995 * images.size())));
        return lines;
    }

    private long[] shape() {
        int[] s = net.inputShape();
        long[] shape = new long[s.length + 1];
        shape[0] = 1;
        for (int i = 0; i < s.length; i++) {
            shape[i + 1] = s[i];
        }
        return shape;
    }
}
