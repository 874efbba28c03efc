package org.fusionmpc.ring;

import java.util.Objects;
import org.fusionmpc.api.channel.Channel;
import org.fusionmpc.api.random.Prg;
import org.fusionmpc.ot.OtReceiver;
import org.fusionmpc.ot.OtSender;

/**
 * Element-wise products of two shared vectors over Z_2^64 with Beaver multiplication triples (Beaver,
 * CRYPTO 1991) made from OT: each party draws a_p, b_p; the cross terms a_0·b_1 and a_1·b_0 of
 * c = (a_0 + a_1)(b_0 + b_1) come from {@link GilboaProduct} in both directions, so each party needs an
 * OT sender and an OT receiver with the other (two IKNP instances). The online product then opens
 * d = x - a and e = y - b and computes z = c + d·b + e·a (+ d·e for party 0): one round.
 * For SDK users who build protocols on shared multiplications; inference uses {@link LinearEngine}.
 */
public final class BeaverMultiplier {

    private final Channel channel;
    private final boolean first;
    private final OtSender sender;
    private final OtReceiver receiver;
    private final GilboaProduct asSender;
    private final GilboaProduct asReceiver;
    private final Prg prg;

    /**
     * @param first true on exactly one party (it runs its sending direction first and adds d·e); the other
     *              party passes false
     */
    public BeaverMultiplier(Channel channel, boolean first, OtSender sender, OtReceiver receiver, Prg prg) {
        this.channel = Objects.requireNonNull(channel, "channel");
        this.first = first;
        this.sender = Objects.requireNonNull(sender, "sender");
        this.receiver = Objects.requireNonNull(receiver, "receiver");
        this.asSender = new GilboaProduct(channel);
        this.asReceiver = new GilboaProduct(channel);
        this.prg = Objects.requireNonNull(prg, "prg");
    }

    /** {@code n} triples: this party's shares {a, b, c} with (Σa)(Σb) = Σc. */
    public long[][] triples(int n) {
        long[] a = new long[n];
        long[] b = new long[n];
        prg.nextLongs(a);
        prg.nextLongs(b);
        long[] mine;
        long[] theirs;
        LinearOperator myA = LinearOperator.diagonal(a);
        LinearShape shape = LinearShape.identity(n);
        if (first) {
            mine = asSender.send(sender, myA, 1);                 // a_0 · b_1
            theirs = asReceiver.receive(receiver, shape, b, 1);   // a_1 · b_0
        } else {
            theirs = asReceiver.receive(receiver, shape, b, 1);
            mine = asSender.send(sender, myA, 1);
        }
        long[] c = new long[n];
        for (int i = 0; i < n; i++) {
            c[i] = a[i] * b[i] + mine[i] + theirs[i];
        }
        return new long[][] {a, b, c};
    }

    /** Shares of x∘y from shares of x and y, consuming fresh triples. */
    public long[] multiply(long[] x, long[] y) {
        if (x.length != y.length) {
            throw new IllegalArgumentException("vectors differ in length: " + x.length + " and " + y.length);
        }
        int n = x.length;
        long[][] t = triples(n);
        long[] de = new long[2 * n];
        for (int i = 0; i < n; i++) {
            de[i] = x[i] - t[0][i];
            de[n + i] = y[i] - t[1][i];
        }
        long[] open = Reveal.both(channel, de);
        long[] z = new long[n];
        for (int i = 0; i < n; i++) {
            long d = open[i];
            long e = open[n + i];
            z[i] = t[2][i] + d * t[1][i] + e * t[0][i] + (first ? d * e : 0);
        }
        return z;
    }
}
