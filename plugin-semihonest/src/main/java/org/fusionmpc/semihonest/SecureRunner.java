package org.fusionmpc.semihonest;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import org.fusionmpc.api.channel.Channel;
import org.fusionmpc.api.channel.ChannelException;
import org.fusionmpc.api.channel.ChannelStats;
import org.fusionmpc.api.random.Prg;
import org.fusionmpc.api.session.MemoryBudget;
import org.fusionmpc.gc.ComparisonEngine;
import org.fusionmpc.gc.GcComparisons;
import org.fusionmpc.gc.OtComparisons;
import org.fusionmpc.ot.OtExtension;
import org.fusionmpc.ot.OtReceiver;
import org.fusionmpc.ot.OtSender;
import org.fusionmpc.ot.SoftSpokenOtSender;
import org.fusionmpc.he.HeLinearEngine;
import org.fusionmpc.he.PreparedWeights;
import org.fusionmpc.ring.FixedPoint;
import org.fusionmpc.ring.LinearEngine;
import org.fusionmpc.ring.OtLinearEngine;
import org.fusionmpc.ring.Reveal;
import org.fusionmpc.ring.Truncation;

/**
 * The two-party evaluation of a {@link Network} over a batch, layer by layer on additive shares over
 * Z_2^ℓ in fixed point: linear layers by the engine the client chose ({@link LinearMode}) with the server's
 * weights, ReLU and max-pool by the comparison engine it chose ({@link ComparisonMode}: garbled circuits or the
 * OT-based millionaires' comparison), and at the end an argmax revealed to the client only or the logits
 * revealed to the client. The client's input enters as its own share (the server's
 * share is 0); the server sees only OT, garbling and ciphertext traffic, so it learns nothing of inputs or
 * outputs.
 *
 * <p>Truncation: with the OT engine (ℓ = 64) each product is truncated locally (SecureML), whose failure
 * rate |x|/2^64 is negligible. With the RLWE engine (ℓ = 37) local truncation would fail about once in 2^7
 * values, so the product stays at scale 2^2f until the next ReLU or max-pool, whose circuit shifts exactly
 * (wiring only); two linear layers in a row get a truncation circuit between them, and the logits are
 * revealed or compared at whatever scale they have.
 *
 * <p>Session messages before the layers: server → client the architecture and f; client → server the batch
 * size, output mode, linear engine, comparison engine, SoftSpokenOT's k, ℓ and the OT extension; server → client its acceptance
 * (0) or a refusal code.
 */
final class SecureRunner {

    static final int ACCEPT = 0;
    static final int REFUSE_BATCH = 1;
    static final int REFUSE_LOGITS = 2;
    static final int REFUSE_ENGINE = 3;
    /** The session does not fit the server's memory budget now; the second long is the largest batch that does. */
    static final int REFUSE_MEMORY = 4;
    /** The label of an input whose decoded argmax is no class of the model (only a deviating server causes it). */
    static final int NO_CLASS = InferenceResult.NO_CLASS;

    private SecureRunner() {
    }

    /** Server side: returns the batch size served. */
    static int serve(Network net, Channel ch, FixedPoint fp, int maxBatch, boolean allowLogits, ServerDeviation deviation, int threads,
                     MemoryBudget budget) {
        return serve(net, ch, fp, maxBatch, allowLogits, deviation, threads, budget, () -> layer -> null);
    }

    /** As above, with the RLWE weights a server prepared per layer ({@code prepared} is asked only by an RLWE session). */
    static int serve(Network net, Channel ch, FixedPoint fp, int maxBatch, boolean allowLogits, ServerDeviation deviation, int threads,
                     MemoryBudget budget, Supplier<Function<Layer.Linear, PreparedWeights>> prepared) {
        ch.send(net.publicPart().describe());
        ch.send(new long[] {fp.fractionBits()});
        long[] words = new long[SessionRequest.WORDS];
        ch.receive(words, 0, words.length);
        SessionRequest.Checked checked = SessionRequest.check(words, maxBatch, allowLogits);
        SessionRequest request = checked.request();
        int verdict = checked.verdict();
        MemoryBudget.Reservation memory = null;
        long fits = maxBatch;
        if (verdict == ACCEPT) {
            memory = budget.tryReserve(SessionMemory.estimate(net, request.linear(), request.ot(), request.batch(), threads));
            if (memory == null) {
                verdict = REFUSE_MEMORY;
                fits = SessionMemory.largestBatch(net, request.linear(), request.ot(), threads, budget.free(), maxBatch);
            }
        }
        ch.send(new long[] {verdict, fits});
        ch.flush();
        if (verdict != ACCEPT) {
            return 0;
        }
        try (MemoryBudget.Reservation held = memory) {
            Function<Layer.Linear, PreparedWeights> weights = request.linear() == LinearMode.HE ? prepared.get() : layer -> null;
            return serveAdmitted(net, ch, fp, deviation, threads, request.batch(), request.logits(), request.linear(),
                    request.comparison(), request.otK(), request.ringBits(), request.ot(), weights, request.packed());
        }
    }

    private static int serveAdmitted(Network net, Channel ch, FixedPoint fp, ServerDeviation deviation, int threads, int batch,
                                     boolean logits, LinearMode mode, ComparisonMode cmp, int otK, int bits, OtExtension extension,
                                     Function<Layer.Linear, PreparedWeights> weights, boolean packed) {
        OtSender ot = extension.sender(ch, new SecureRandom(), otK, otThreads(threads));
        Prg prg = Prg.fromSecureRandom();
        ComparisonEngine comparisons = cmp == ComparisonMode.GC ? GcComparisons.server(ch, ot, prg)
                : OtComparisons.server(ch, ot, extension.receiver(ch, new SecureRandom(), otK, otThreads(threads)), prg)
                        .withThreads(otThreads(threads)).withDigitBits(OtComparisons.digitBitsFor(extension));
        LinearEngine linear = mode == LinearMode.HE ? heServer(ch, bits, threads, deviation, packed) : OtLinearEngine.server(ch, ot);
        Pipeline p = new Pipeline(mode, bits, fp, linear, comparisons, true);
        p.prepared = weights;
        long[] share = new long[net.inputSize() * batch];
        List<Layer> layers = net.layers();
        for (int i = 0; i < layers.size(); i++) {
            Layer layer = layers.get(i);
            share = p.step(layer, share, batch);
            if (deviation != null) {
                String kind = kind(layer);
                deviation.apply(i, kind, share, batch, layer.outputSize(), p.scaleBits());
            }
        }
        if (deviation != null) {
            deviation.apply(-1, "logits", share, batch, net.outputSize(), p.scaleBits());
        }
        if (logits) {
            Reveal.send(ch, share);
        } else {
            p.gc.argmax(share, net.outputSize(), p.bits);
        }
        ch.flush();
        return batch;
    }

    private static HeLinearEngine heServer(Channel ch, int bits, int threads, ServerDeviation deviation, boolean packed) {
        HeLinearEngine he = HeLinearEngine.server(ch, bits).withThreads(threads);
        if (packed) {
            he.withBatchPacking();
        }
        return deviation == null ? he : he.simulateMaliciousSlotMixing(deviation::slotMixing);
    }

    private static HeLinearEngine heClient(Channel ch, int bits, boolean packed) {
        HeLinearEngine he = HeLinearEngine.client(ch, bits);
        return packed ? he.withBatchPacking() : he;
    }

    private static int otThreads(int threads) {
        return Math.min(threads, SoftSpokenOtSender.MAX_THREADS);
    }

    /** A layer's kind as {@link ServerDeviation} sees it. */
    static String kind(Layer layer) {
        return layer instanceof Layer.Linear ? "linear" : layer instanceof Layer.Relu ? "relu"
                : layer instanceof Layer.MaxPool ? "maxpool" : layer instanceof Layer.AvgPool ? "avgpool" : layer instanceof Layer.Scale ? "scale"
                : layer instanceof Layer.Save ? "save" : layer instanceof Layer.ConcatSaved ? "concat"
                : layer instanceof Layer.Restore ? "restore" : "add";
    }

    /** Client side. */
    static InferenceResult classify(Channel ch, double[][] inputs, OutputMode mode, LinearMode linearMode, ComparisonMode cmp,
                                    int requestedOtK, OtExtension requestedOt, int ringBits, int threads, long maxValues,
                                    boolean batchPacking, int[] expectedShape, int expectedClasses, Consumer<String> progress) {
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
        int otK = InferenceClient.resolveOtK(requestedOtK, net);
        int batch = inputs.length;
        // Checked before anything is allocated for the batch: the architecture is the server's to choose.
        long values = net.largestActivation() * batch; // ≤ 2^24 · 2^31, no overflow
        if (values > maxValues) {
            throw new IllegalStateException("the server's model " + net.name() + " takes up to " + net.largestActivation()
                    + " values per input at one layer, " + values + " for this batch of " + batch
                    + ", more than this client's cap of " + maxValues + " (InferenceClient.withMaxValues); nothing was computed");
        }
        if (expectedShape != null && !java.util.Arrays.equals(Network.withoutLeadingOnes(expectedShape), Network.withoutLeadingOnes(net.inputShape()))) {
            throw new IllegalStateException("the server's model " + net.name() + " takes inputs of shape " + java.util.Arrays.toString(net.inputShape())
                    + ", this client's are " + java.util.Arrays.toString(expectedShape) + "; nothing was computed");
        }
        if (expectedClasses > net.outputSize()) {
            throw new IllegalStateException("the server's model " + net.name() + " has " + net.outputSize() + " outputs, this client's labels go up to "
                    + (expectedClasses - 1) + "; nothing was computed");
        }
        long[] share = new long[net.inputSize() * batch];
        for (int b = 0; b < batch; b++) {
            net.checkInput(inputs[b]);
            long[] x = fp.encode(net.normalise(inputs[b])); // the model's own normalisation, public, in the clear
            System.arraycopy(x, 0, share, b * net.inputSize(), x.length);
        }
        OtExtension extension = InferenceClient.resolveOt(requestedOt, net, batch);
        boolean packed = batchPacking && linearMode == LinearMode.HE && batch > 1;
        ch.send(new SessionRequest(batch, mode == OutputMode.LOGITS, linearMode, cmp, otK, ringBits, extension, packed).words());
        long[] verdict = new long[2];
        ch.receive(verdict, 0, 2);
        if (verdict[0] == REFUSE_BATCH) {
            throw new ChannelException(ChannelException.Kind.REFUSED, "the server refused a batch of " + batch + " inputs; it serves at most " + verdict[1]);
        }
        if (verdict[0] == REFUSE_LOGITS) {
            throw new ChannelException(ChannelException.Kind.REFUSED, "the server does not reveal logits; ask for labels");
        }
        if (verdict[0] == REFUSE_MEMORY) {
            throw new ChannelException(ChannelException.Kind.REFUSED, "the server cannot take a batch of " + batch
                    + " inputs of this model now: its memory budget admits " + verdict[1] + " at the moment; send a smaller batch or try later");
        }
        if (verdict[0] == REFUSE_ENGINE) {
            throw new ChannelException(ChannelException.Kind.REFUSED, "the server does not run the " + linearMode.id() + " linear engine on "
                    + ringBits + "-bit shares, the " + cmp.id() + " comparison engine or the " + extension.id()
                    + " OT extension (k = " + otK + ")");
        }
        progress.accept("setup: " + extension.id() + " OT extension");
        OtReceiver ot = extension.receiver(ch, new SecureRandom(), otK, threads);
        ComparisonEngine comparisons = cmp == ComparisonMode.GC ? GcComparisons.client(ch, ot)
                : OtComparisons.client(ch, ot, extension.sender(ch, new SecureRandom(), otK, threads),
                        Prg.fromSecureRandom()).withThreads(threads).withDigitBits(OtComparisons.digitBitsFor(extension));
        Pipeline p = new Pipeline(linearMode, ringBits, fp, linearMode == LinearMode.HE ? heClient(ch, ringBits, packed)
                : OtLinearEngine.client(ch, ot), comparisons, false);
        mark.charge(phases, "setup");
        List<Layer> layers = net.layers();
        for (int i = 0; i < layers.size(); i++) {
            Layer layer = layers.get(i);
            progress.accept("layer " + (i + 1) + "/" + layers.size() + " " + layer);
            share = p.step(layer, share, batch);
            mark.charge(phases, layer instanceof Layer.Relu || layer instanceof Layer.MaxPool ? "nonlinear" : "linear");
        }
        progress.accept(mode == OutputMode.LOGITS ? "revealing logits" : "argmax");
        int classes = net.outputSize();
        int[] labels = new int[batch];
        double[][] logits = null;
        if (mode == OutputMode.LOGITS) {
            long[] y = Reveal.receive(ch, share);
            logits = new double[batch][classes];
            int shift = 64 - p.bits;
            double scale = Math.scalb(1.0, -p.scaleBits());
            for (int b = 0; b < batch; b++) {
                for (int k = 0; k < classes; k++) {
                    logits[b][k] = (y[b * classes + k] << shift >> shift) * scale;
                    if (logits[b][k] > logits[b][labels[b]]) {
                        labels[b] = k;
                    }
                }
                net.output().apply(logits[b]); // a final softmax or log-softmax, in the clear: labels unchanged
            }
        } else {
            labels = p.gc.argmax(share, classes, p.bits);
            for (int b = 0; b < batch; b++) {
                // An index decoded from shares is whatever the server's messages make it: out of range is no class.
                labels[b] = labels[b] >= 0 && labels[b] < classes ? labels[b] : NO_CLASS;
            }
        }
        mark.charge(phases, "output");
        ChannelStats total = ch.stats().minus(begin);
        return new InferenceResult(labels, logits, System.nanoTime() - start, new ArrayList<>(phases.values()),
                total.bytesSent(), total.bytesReceived(), total.rounds());
    }

    /** One party's layer-by-layer evaluation: the engines, ℓ, and the truncation still owed by the last product. */
    private static final class Pipeline {
        final int bits;
        final ComparisonEngine gc;
        private final LinearMode mode;
        private final FixedPoint fp;
        private final LinearEngine linear;
        private final boolean server;
        private int pendingShift;
        private final long[][] slots = new long[Network.MAX_SLOTS][];
        /** The server's prepared RLWE weights per layer (null for a layer without them). */
        Function<Layer.Linear, PreparedWeights> prepared = layer -> null;
        private final int[] slotShifts = new int[Network.MAX_SLOTS];

        Pipeline(LinearMode mode, int bits, FixedPoint fp, LinearEngine linear, ComparisonEngine gc, boolean server) {
            this.mode = mode;
            this.bits = bits;
            this.fp = fp;
            this.linear = linear;
            this.gc = gc;
            this.server = server;
        }

        /** The fixed-point scale of the current shares, in bits. */
        int scaleBits() {
            return fp.fractionBits() + pendingShift;
        }

        long[] step(Layer layer, long[] share, int batch) {
            if (layer instanceof Layer.SlotStep slot) {
                return slotStep(slot, share);
            }
            if (layer instanceof Layer.AvgPool pool) {
                share = payPendingShift(share);
                long[] y = pool.sumTimes(share, batch, fp.encode(1.0 / (pool.kh() * pool.kw())));
                oweProductTruncation(y);
                return y;
            }
            if (layer instanceof Layer.Scale k) {
                return scale(k, share);
            }
            if (layer instanceof Layer.Linear lin) {
                share = payPendingShift(share);
                long[] y;
                if (server) {
                    PreparedWeights w = prepared.apply(lin);
                    y = w != null && linear instanceof HeLinearEngine he ? he.server(w, share, batch)
                            : linear.server(lin.operator(fp), share, batch);
                    long[] bias = lin.encodedBias(fp);
                    for (int i = 0; i < y.length; i++) {
                        y[i] += bias[i % bias.length];
                    }
                } else {
                    y = linear.client(lin.shape(), share, batch);
                }
                oweProductTruncation(y);
                return y;
            }
            int shift = pendingShift;
            pendingShift = 0;
            if (layer instanceof Layer.Relu) {
                return gc.relu(share, bits, shift);
            }
            Layer.MaxPool p = (Layer.MaxPool) layer;
            int[] win = p.windows();
            int in = p.inputSize();
            long[] gathered = new long[win.length * batch];
            for (int b = 0; b < batch; b++) {
                for (int t = 0; t < win.length; t++) {
                    // Index `in` is the zero padding: both shares 0.
                    gathered[b * win.length + t] = win[t] == in ? 0 : share[b * in + win[t]];
                }
            }
            return gc.maxPool(gathered, p.k() * p.k(), bits, shift);
        }

        /**
         * factor·x + shift on shares, locally: an integer factor multiplies both shares exactly at their scale (a
         * truncation still owed stays owed); another one is a fixed-point product, at scale 2^f first, whose truncation
         * is then owed. The server alone adds the shift, at the shares' scale.
         */
        private long[] scale(Layer.Scale k, long[] share) {
            long[] y = new long[share.length];
            long factor;
            if (k.exact()) {
                factor = (long) k.factor();
            } else {
                share = payPendingShift(share);
                factor = fp.encode(k.factor());
            }
            for (int i = 0; i < y.length; i++) {
                y[i] = share[i] * factor;
            }
            if (!k.exact()) {
                oweProductTruncation(y);
            }
            if (server && k.shift() != 0) {
                long shift = Math.round(Math.scalb(k.shift(), scaleBits())); // after the product: its scale, truncation owed or not
                for (int i = 0; i < y.length; i++) {
                    y[i] += shift;
                }
            }
            return y;
        }

        /** A product's inputs must be at scale 2^f: a truncation still owed is paid here, by a truncation step. */
        private long[] payPendingShift(long[] share) {
            if (pendingShift == 0) {
                return share;
            }
            long[] t = gc.truncate(share, bits, pendingShift);
            pendingShift = 0;
            return t;
        }

        /** A product at scale 2^2f: truncated locally at once (ℓ = 64), or owed to the next comparison (ℓ = 37). */
        private void oweProductTruncation(long[] y) {
            if (mode == LinearMode.OT) {
                if (server) {
                    Truncation.server(y, fp.fractionBits());
                } else {
                    Truncation.client(y, fp.fractionBits());
                }
            } else {
                pendingShift = fp.fractionBits();
            }
        }

        /**
         * Residual bookkeeping, all local. A slot remembers the truncation its activation still owes, and an
         * addition brings both operands to the larger scale by multiplying shares by 2^d, which is exact (no
         * truncation, no protocol); the sum then owes the larger shift, paid by the next ReLU as usual.
         */
        private long[] slotStep(Layer.SlotStep step, long[] share) {
            int s = step.slot();
            if (step instanceof Layer.Save) {
                slots[s] = share.clone();
                slotShifts[s] = pendingShift;
                return share;
            }
            if (step instanceof Layer.Restore) {
                pendingShift = slotShifts[s];
                return slots[s].clone();
            }
            long[] other = slots[s];
            int target = Math.max(pendingShift, slotShifts[s]);
            int up = target - pendingShift;
            int otherUp = target - slotShifts[s];
            if (step instanceof Layer.ConcatSaved cat) {
                // Per input of the batch: its current values, then the slot's, both brought to the larger scale.
                int a = cat.size();
                int b = cat.savedSize();
                int batch = share.length / a;
                long[] y = new long[batch * (a + b)];
                for (int e = 0; e < batch; e++) {
                    for (int i = 0; i < a; i++) {
                        y[e * (a + b) + i] = share[e * a + i] << up;
                    }
                    for (int i = 0; i < b; i++) {
                        y[e * (a + b) + a + i] = other[e * b + i] << otherUp;
                    }
                }
                pendingShift = target;
                return y;
            }
            long[] y = new long[share.length];
            for (int i = 0; i < y.length; i++) {
                y[i] = (share[i] << up) + (other[i] << otherUp);
            }
            pendingShift = target;
            return y;
        }
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
