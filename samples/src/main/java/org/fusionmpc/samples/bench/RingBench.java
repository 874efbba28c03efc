package org.fusionmpc.samples.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;
import org.fusionmpc.api.testing.TwoParties;
import org.fusionmpc.api.channel.Channel;
import org.fusionmpc.api.channel.ChannelStats;
import org.fusionmpc.api.random.Prg;
import org.fusionmpc.ring.LinearOperator;
import org.fusionmpc.ring.OtLinearEngine;

/**
 * Secure linear layers by the OT engine (Gilboa products on IKNP), server holding the weights: wall time of
 * one product beside the plaintext {@code long} computation of the same layer in the same run (ratio = how
 * many times slower), traffic, bytes per multiply-accumulate, OTs, and {@code ok} = the revealed result
 * equals the plaintext one exactly.
 */
public final class RingBench {

    private final boolean tcp;
    private final Consumer<String> progress;

    public RingBench(boolean tcp, Consumer<String> progress) {
        this.tcp = tcp;
        this.progress = progress;
    }

    public List<JsonLine> run() throws Exception {
        Prg prg = Prg.fromSecureRandom();
        List<JsonLine> lines = new ArrayList<>();
        long[] w1 = new long[128 * 784];
        prg.nextLongs(w1);
        progress.accept("ring-matvec 784x128");
        lines.add(measure("ring-matvec", LinearOperator.dense(w1, 128, 784), prg));
        long[] w2 = new long[16 * 25];
        prg.nextLongs(w2);
        progress.accept("ring-conv 1x28x28, 16 filters 5x5");
        lines.add(measure("ring-conv", LinearOperator.conv2d(w2, 1, 28, 28, 16, 5, 5, 1, 0), prg));
        return lines;
    }

    private JsonLine measure(String name, LinearOperator op, Prg prg) throws Exception {
        int n = op.shape().inputs();
        long[] x = new long[n];
        long[] xs = new long[n];
        prg.nextLongs(x);
        prg.nextLongs(xs);
        long[] xc = new long[n];
        for (int i = 0; i < n; i++) {
            xc[i] = x[i] - xs[i];
        }
        double plain = Double.MAX_VALUE;
        long[] want = null;
        for (int r = 0; r < 20; r++) {
            long start = System.nanoTime();
            want = op.apply(x, 1);
            plain = Math.min(plain, (System.nanoTime() - start) / 1e6);
        }
        Channel[] pair = (tcp ? TwoParties.TCP : TwoParties.IN_MEMORY).pair();
        try (Channel server = pair[0]; Channel client = pair[1]) {
            OtLinearEngine[] e = new OtLinearEngine[2];
            TwoParties.timeBoth(() -> e[0] = OtLinearEngine.server(server), () -> e[1] = OtLinearEngine.client(client));
            double best = Double.MAX_VALUE;
            ChannelStats traffic = null;
            boolean ok = true;
            for (int r = 0; r < ChannelBench.REPETITIONS; r++) {
                ChannelStats before = server.stats();
                long[][] y = new long[2][];
                double seconds = TwoParties.timeBoth(() -> y[0] = e[0].server(op, xs, 1), () -> y[1] = e[1].client(op.shape(), xc, 1));
                traffic = server.stats().minus(before);
                long[] sum = new long[y[0].length];
                for (int i = 0; i < sum.length; i++) {
                    sum[i] = y[0][i] + y[1][i];
                }
                ok &= Arrays.equals(sum, want);
                best = Math.min(best, seconds * 1e3);
            }
            long macs = op.shape().entries();
            return new JsonLine(name, "ms", best).baseline("plaintext-long", plain).put("n", macs)
                    .put("shape", op.shape().toString()).put("bytes_sent", traffic.bytesSent())
                    .put("bytes_received", traffic.bytesReceived())
                    .put("bytes_per_mac", (double) (traffic.wireBytesSent() + traffic.wireBytesReceived()) / macs)
                    .put("ots", 64L * n).put("rounds", traffic.rounds()).put("transport", tcp ? "tcp" : "inmem").put("ok", ok);
        }
    }
}
