package org.fusionmpc.gc;

import java.util.Objects;
import org.fusionmpc.api.channel.Channel;
import org.fusionmpc.api.random.Prg;
import org.fusionmpc.ot.Bits;
import org.fusionmpc.ot.OtSender;

/**
 * The garbler's side of Yao's protocol for many instances of one circuit: per batch of instances it sends
 * its own input labels, gives the evaluator its input labels by chosen-message OT, streams the garbled
 * tables and sends the decode bits, so the evaluator (only) learns the outputs. Semi-honest security.
 * Message order per batch: garbler labels, OT, tables (one message per AND gate), decode bits.
 */
public final class GarblerParty {

    private final Channel channel;
    private final OtSender ot;
    private final HalfGatesGarbler garbler;

    public GarblerParty(Channel channel, OtSender ot, Prg prg) {
        this.channel = Objects.requireNonNull(channel, "channel");
        this.ot = Objects.requireNonNull(ot, "ot");
        this.garbler = new HalfGatesGarbler(prg);
    }

    /**
     * Runs {@code n} instances of {@code c}; the garbler's input bit k of instance i is bit
     * {@code i·G + k} of {@code inputs} (G = {@link Circuit#garblerInputs()}).
     */
    public void run(Circuit c, int n, long[] inputs) {
        int g = c.garblerInputs();
        int e = c.evaluatorInputs();
        if ((long) inputs.length * 64 < (long) n * g) {
            throw new IllegalArgumentException("garbler inputs: " + n + " instances of " + g + " bits need "
                    + Bits.words(n * g) + " words, got " + inputs.length);
        }
        int batch = GcBatch.instances(c, n);
        long[] labels = new long[2 * c.wireSlots() * batch];
        long[] mine = new long[2 * (1 + g) * batch];
        long[] x0 = new long[2 * e * batch];
        long[] x1 = new long[2 * e * batch];
        long[] decode = new long[Bits.words(c.outputCount() * batch)];
        for (int first = 0; first < n; first += batch) {
            int b = Math.min(batch, n - first);
            garbler.newInputLabels(c, b, labels);
            // Slot 0 carries 0; the garbler's own bits are encoded directly.
            System.arraycopy(labels, 0, mine, 0, 2 * b);
            for (int k = 0; k < g; k++) {
                for (int i = 0; i < b; i++) {
                    boolean bit = Bits.get(inputs, (first + i) * g + k);
                    garbler.encode(labels, (1 + k) * b + i, bit, mine, (1 + k) * b + i);
                }
            }
            channel.send(mine, 0, 2 * (1 + g) * b);
            if (e > 0) {
                int from = 2 * (1 + g) * b;
                System.arraycopy(labels, from, x0, 0, 2 * e * b);
                long[] d = garbler.delta();
                for (int k = 0; k < 2 * e * b; k += 2) {
                    x1[k] = x0[k] ^ d[0];
                    x1[k + 1] = x0[k + 1] ^ d[1];
                }
                ot.chosen(e * b, x0, x1, 2);
            }
            garbler.garble(c, b, labels, channel::send);
            garbler.decodeBits(c, b, labels, decode);
            channel.send(decode, 0, Bits.words(c.outputCount() * b));
        }
        channel.flush();
    }
}
