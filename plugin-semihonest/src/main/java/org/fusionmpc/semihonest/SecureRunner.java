package org.fusionmpc.semihonest;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.fusionmpc.api.channel.Channel;
import org.fusionmpc.api.channel.ChannelStats;
import org.fusionmpc.api.random.Prg;
import org.fusionmpc.gc.GcComparisons;
import org.fusionmpc.ot.IknpOtReceiver;
import org.fusionmpc.ot.IknpOtSender;
import org.fusionmpc.ring.FixedPoint;
import org.fusionmpc.ring.LinearOperator;
import org.fusionmpc.ring.OtLinearEngine;
import org.fusionmpc.ring.Reveal;
import org.fusionmpc.ring.Truncation;

/**
 * The two-party evaluation of a {@link Network} over a batch, layer by layer on additive shares over
 * Z_2^64 in fixed point: linear layers by the OT engine with the server's weights (then local truncation),
 * ReLU and max-pool by garbled circuits (server garbles), and at the end an argmax revealed to the client only
 * or the logits revealed to the client. The client's input enters as its own share (the server's share is 0);
 * the server sees only OT and garbling traffic, so it learns nothing of inputs or outputs.
 *
 * <p>Session messages before the layers: server → client the architecture and f; client → server the batch
 * size and output mode; server → client its acceptance (0) or a refusal code.
 */
final class SecureRunner {

    static final int ACCEPT = 0;
    static final int REFUSE_BATCH = 1;
    static final int REFUSE_LOGITS = 2;

    private SecureRunner() {
    }

    /** Server side: returns the batch size served. */
    static int serve(Network net, Channel ch, FixedPoint fp, int maxBatch, boolean allowLogits, ServerDeviation deviation) {
        ch.send(net.publicPart().describe());
        ch.send(new long[] {fp.fractionBits()});
        long[] request = new long[2];
        ch.receive(request, 0, 2);
        int batch = (int) Math.max(0, Math.min(Integer.MAX_VALUE, request[0]));
        boolean logits = request[1] == 1;
        int verdict = batch < 1 || batch > maxBatch ? REFUSE_BATCH : request[1] != 0 && !(logits && allowLogits) ? REFUSE_LOGITS : ACCEPT;
        ch.send(new long[] {verdict, maxBatch});
        ch.flush();
        if (verdict != ACCEPT) {
            return 0;
        }
        IknpOtSender ot = IknpOtSender.setup(ch, new SecureRandom());
        Prg prg = Prg.fromSecureRandom();
        OtLinearEngine linear = OtLinearEngine.server(ch, ot);
        GcComparisons gc = GcComparisons.server(ch, ot, prg);
        long[] share = new long[net.inputSize() * batch];
        List<Layer> layers = net.layers();
        for (int i = 0; i < layers.size(); i++) {
            Layer layer = layers.get(i);
            share = step(layer, share, batch, fp, true, linear, gc);
            if (deviation != null) {
                String kind = layer instanceof Layer.Linear ? "linear" : layer instanceof Layer.Relu ? "relu" : "maxpool";
                deviation.apply(i, kind, share, batch, layer.outputSize(), fp.fractionBits());
            }
        }
        if (deviation != null) {
            deviation.apply(-1, "logits", share, batch, net.outputSize(), fp.fractionBits());
        }
        if (logits) {
            Reveal.send(ch, share);
        } else {
            gc.argmax(share, net.outputSize(), 64);
        }
        ch.flush();
        return batch;
    }

    /** Client side. */
    static InferenceResult classify(Channel ch, double[][] inputs, OutputMode mode, Consumer<String> progress) {
        long start = System.nanoTime();
        Map<String, PhaseStats> phases = new LinkedHashMap<>();
        for (String p : new String[] {"setup", "linear", "nonlinear", "output"}) {
            phases.put(p, new PhaseStats(p, 0, 0, 0, 0));
        }
        ChannelStats begin = ch.stats();
        Mark mark = new Mark(ch);
        Network net = Network.parse(ch.receiveBytes(1 << 20));
        long[] f = new long[1];
        ch.receive(f, 0, 1);
        FixedPoint fp = new FixedPoint((int) f[0]);
        int batch = inputs.length;
        long[] share = new long[net.inputSize() * batch];
        for (int b = 0; b < batch; b++) {
            net.checkInput(inputs[b]);
            long[] x = fp.encode(inputs[b]);
            System.arraycopy(x, 0, share, b * net.inputSize(), x.length);
        }
        ch.send(new long[] {batch, mode == OutputMode.LOGITS ? 1 : 0});
        long[] verdict = new long[2];
        ch.receive(verdict, 0, 2);
        if (verdict[0] == REFUSE_BATCH) {
            throw new IllegalArgumentException("the server refused a batch of " + batch + " inputs; it serves at most " + verdict[1]);
        }
        if (verdict[0] == REFUSE_LOGITS) {
            throw new IllegalArgumentException("the server does not reveal logits; ask for labels");
        }
        IknpOtReceiver ot = IknpOtReceiver.setup(ch, new SecureRandom());
        OtLinearEngine linear = OtLinearEngine.client(ch, ot);
        GcComparisons gc = GcComparisons.client(ch, ot);
        mark.charge(phases, "setup");
        List<Layer> layers = net.layers();
        for (int i = 0; i < layers.size(); i++) {
            Layer layer = layers.get(i);
            progress.accept("layer " + (i + 1) + "/" + layers.size() + " " + layer);
            share = step(layer, share, batch, fp, false, linear, gc);
            mark.charge(phases, layer instanceof Layer.Linear ? "linear" : "nonlinear");
        }
        progress.accept(mode == OutputMode.LOGITS ? "revealing logits" : "argmax");
        int classes = net.outputSize();
        int[] labels = new int[batch];
        double[][] logits = null;
        if (mode == OutputMode.LOGITS) {
            long[] y = Reveal.receive(ch, share);
            logits = new double[batch][classes];
            for (int b = 0; b < batch; b++) {
                for (int k = 0; k < classes; k++) {
                    logits[b][k] = fp.decode(y[b * classes + k]);
                    if (logits[b][k] > logits[b][labels[b]]) {
                        labels[b] = k;
                    }
                }
            }
        } else {
            labels = gc.argmax(share, classes, 64);
        }
        mark.charge(phases, "output");
        ChannelStats total = ch.stats().minus(begin);
        return new InferenceResult(labels, logits, System.nanoTime() - start, new ArrayList<>(phases.values()),
                total.bytesSent(), total.bytesReceived(), total.rounds());
    }

    private static long[] step(Layer layer, long[] share, int batch, FixedPoint fp, boolean server,
                               OtLinearEngine linear, GcComparisons gc) {
        if (layer instanceof Layer.Linear lin) {
            long[] y;
            if (server) {
                LinearOperator op = lin.operator(fp);
                y = linear.server(op, share, batch);
                long[] bias = lin.encodedBias(fp);
                for (int i = 0; i < y.length; i++) {
                    y[i] += bias[i % bias.length];
                }
                Truncation.server(y, fp.fractionBits());
            } else {
                y = linear.client(lin.shape(), share, batch);
                Truncation.client(y, fp.fractionBits());
            }
            return y;
        }
        if (layer instanceof Layer.Relu) {
            return gc.relu(share, 64);
        }
        Layer.MaxPool p = (Layer.MaxPool) layer;
        int[] win = p.windows();
        int in = p.inputSize();
        long[] gathered = new long[win.length * batch];
        for (int b = 0; b < batch; b++) {
            for (int t = 0; t < win.length; t++) {
                gathered[b * win.length + t] = share[b * in + win[t]];
            }
        }
        return gc.maxPool(gathered, p.k() * p.k(), 64);
    }

    /** Charges time and traffic since the last mark to a phase. */
    private static final class Mark {
        private final Channel ch;
        private long t = System.nanoTime();
        private ChannelStats s;

        Mark(Channel ch) {
            this.ch = ch;
            this.s = ch.stats();
        }

        void charge(Map<String, PhaseStats> phases, String phase) {
            long now = System.nanoTime();
            ChannelStats cur = ch.stats();
            ChannelStats d = cur.minus(s);
            phases.put(phase, phases.get(phase).plus(now - t, d.bytesSent(), d.bytesReceived(), d.rounds()));
            t = now;
            s = cur;
        }
    }
}
