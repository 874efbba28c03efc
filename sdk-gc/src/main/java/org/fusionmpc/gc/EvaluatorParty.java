package org.fusionmpc.gc;

import java.util.Objects;
import org.fusionmpc.api.channel.Channel;
import org.fusionmpc.ot.Bits;
import org.fusionmpc.ot.OtReceiver;

/** The evaluator's side of {@link GarblerParty}: learns the outputs of every instance, nothing else. */
public final class EvaluatorParty {

    private final Channel channel;
    private final OtReceiver ot;
    private final HalfGatesEvaluator evaluator = new HalfGatesEvaluator();

    public EvaluatorParty(Channel channel, OtReceiver ot) {
        this.channel = Objects.requireNonNull(channel, "channel");
        this.ot = Objects.requireNonNull(ot, "ot");
    }

    /**
     * Runs {@code n} instances of {@code c} with the evaluator's input bit k of instance i at bit
     * {@code i·E + k} of {@code inputs}; returns output bit k of instance i at bit {@code i·O + k}.
     */
    public long[] run(Circuit c, int n, long[] inputs) {
        int g = c.garblerInputs();
        int e = c.evaluatorInputs();
        int outs = c.outputCount();
        if ((long) inputs.length * 64 < (long) n * e) {
            throw new IllegalArgumentException("evaluator inputs: " + n + " instances of " + e + " bits need "
                    + Bits.words(n * e) + " words, got " + inputs.length);
        }
        int batch = GcBatch.instances(c, n);
        long[] labels = new long[2 * c.wireSlots() * batch];
        long[] choices = new long[Bits.words(e * batch)];
        long[] received = new long[2 * e * batch];
        long[] decode = new long[Bits.words(outs * batch)];
        long[] bits = new long[Bits.words(outs * batch)];
        long[] result = new long[Bits.words(n * outs)];
        for (int first = 0; first < n; first += batch) {
            int b = Math.min(batch, n - first);
            channel.receive(labels, 0, 2 * (1 + g) * b);
            if (e > 0) {
                for (int k = 0; k < e; k++) {
                    for (int i = 0; i < b; i++) {
                        Bits.set(choices, k * b + i, Bits.get(inputs, (first + i) * e + k));
                    }
                }
                ot.chosen(e * b, choices, received, 2);
                System.arraycopy(received, 0, labels, 2 * (1 + g) * b, 2 * e * b);
            }
            evaluator.evaluate(c, b, labels, channel::receive);
            channel.receive(decode, 0, Bits.words(outs * b));
            HalfGatesEvaluator.decode(c, b, labels, decode, bits);
            for (int k = 0; k < outs; k++) {
                for (int i = 0; i < b; i++) {
                    Bits.set(result, (first + i) * outs + k, Bits.get(bits, k * b + i));
                }
            }
        }
        return result;
    }
}
