package org.fusionmpc.samples.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.fusionmpc.api.channel.Channel;
import org.fusionmpc.api.random.Prg;
import org.fusionmpc.api.testing.TwoParties;
import org.fusionmpc.he.HeLinearEngine;
import org.fusionmpc.he.Modulus;
import org.fusionmpc.he.Ntt;
import org.fusionmpc.he.PreparedWeights;
import org.fusionmpc.he.SecretKeyRlwe;
import org.fusionmpc.ring.LinearOperator;

/**
 * The RLWE engine's arithmetic and one ResNet-50 block, each beside fixed-key AES blocks per second measured
 * in the same run (ratio = value / AES blocks per second): negacyclic NTTs of N = 4096 over both primes of the
 * standard ring, forward and inverse; plaintext-ciphertext products as the server accumulates them (both
 * components, both primes, weights in NTT and Montgomery form); and the three linear layers of ResNet-50's
 * first bottleneck block (1×1 256→64, 3×3 64→64, 1×1 64→256 at 56×56) between a client and a server in one
 * process on the given threads, with weights prepared once and without, the shares checked against the
 * plaintext product.
 */
public final class HeBench {

    private final Consumer<String> progress;
    private final int threads;

    public HeBench(int threads, Consumer<String> progress) {
        this.threads = threads;
        this.progress = progress;
    }

    public List<JsonLine> run() throws Exception {
        List<JsonLine> lines = new ArrayList<>();
        progress.accept("AES baseline");
        double aes = Baselines.aesBlocksPerSecond();
        var ring = SecretKeyRlwe.standard();
        int n = ring.n();
        Ntt[] ntt = new Ntt[ring.limbs()];
        long[][] poly = new long[ring.limbs()][n];
        long[][] weights = new long[ring.limbs()][n];
        long[][][] ct = new long[2][ring.limbs()][n];
        long[][][] acc = new long[2][ring.limbs()][n];
        Prg prg = Prg.fromSecureRandom();
        for (int i = 0; i < ntt.length; i++) {
            ntt[i] = new Ntt(ring.prime(i), n);
            long p = ring.prime(i);
            Modulus m = ntt[i].modulus();
            for (int k = 0; k < n; k++) {
                poly[i][k] = Long.remainderUnsigned(prg.nextLong(), p);
                weights[i][k] = m.toMont(Long.remainderUnsigned(prg.nextLong(), p));
                ct[0][i][k] = Long.remainderUnsigned(prg.nextLong(), p);
                ct[1][i][k] = Long.remainderUnsigned(prg.nextLong(), p);
            }
        }
        progress.accept("NTT forward and inverse, N = " + n + ", " + ntt.length + " primes");
        double fwd = rate(() -> {
            for (int i = 0; i < ntt.length; i++) {
                ntt[i].forward(poly[i]);
            }
        });
        double inv = rate(() -> {
            for (int i = 0; i < ntt.length; i++) {
                ntt[i].inverse(poly[i]);
            }
        });
        String what = "N=" + n + ", " + ntt.length + " primes of " + (64 - Long.numberOfLeadingZeros(ring.prime(0))) + " bits";
        lines.add(new JsonLine("he-ntt-forward", "polys/s", fwd).baseline("aes-blocks/s", aes).put("shape", what).put("ok", true));
        lines.add(new JsonLine("he-ntt-inverse", "polys/s", inv).baseline("aes-blocks/s", aes).put("shape", what).put("ok", true));
        progress.accept("plaintext-ciphertext products");
        double prod = rate(() -> {
            for (int c = 0; c < 2; c++) {
                for (int i = 0; i < ntt.length; i++) {
                    ntt[i].multiplyAccumulate(ct[c][i], weights[i], acc[c][i]);
                }
            }
        });
        lines.add(new JsonLine("he-pt-ct-product", "products/s", prod).baseline("aes-blocks/s", aes)
                .put("shape", what + ", both components, accumulated in the evaluation domain").put("ok", true));
        lines.addAll(bottleneck(aes));
        return lines;
    }

    /** Calls per second of {@code body}, best of five one-second runs after a warm-up. */
    private static double rate(Runnable body) {
        for (long end = System.nanoTime() + 500_000_000L; System.nanoTime() < end; ) {
            body.run();
        }
        double best = 0;
        for (int r = 0; r < 5; r++) {
            long calls = 0;
            long start = System.nanoTime();
            long end = start + 1_000_000_000L;
            long now;
            do {
                for (int i = 0; i < 16; i++) {
                    body.run();
                }
                calls += 16;
                now = System.nanoTime();
            } while (now < end);
            best = Math.max(best, calls / ((now - start) / 1e9));
        }
        return best;
    }

    private List<JsonLine> bottleneck(double aes) throws Exception {
        int[][] shapes = {{256, 56, 56, 64, 1, 1, 1, 0}, {64, 56, 56, 64, 3, 3, 1, 1}, {64, 56, 56, 256, 1, 1, 1, 0}};
        Prg prg = Prg.fromSecureRandom();
        int bits = HeLinearEngine.DEFAULT_PLAIN_BITS;
        long mask = (1L << bits) - 1;
        LinearOperator[] ops = new LinearOperator[shapes.length];
        PreparedWeights[] prepared = new PreparedWeights[shapes.length];
        long preparedBytes = 0;
        progress.accept("preparing the ResNet-50 block's weights");
        long t0 = System.nanoTime();
        for (int l = 0; l < shapes.length; l++) {
            int[] g = shapes[l];
            long[] w = new long[g[3] * g[0] * g[4] * g[5]];
            for (int i = 0; i < w.length; i++) {
                w[i] = (prg.nextLong() % 2048); // 12-bit fixed-point weights, |w| < 2^11
            }
            ops[l] = LinearOperator.conv2d(w, g[0], g[1], g[2], g[3], g[4], g[5], g[6], g[7]);
            prepared[l] = PreparedWeights.prepare(ops[l], threads);
            preparedBytes += prepared[l].bytes();
        }
        double prepareMs = (System.nanoTime() - t0) / 1e6;
        List<JsonLine> lines = new ArrayList<>();
        for (boolean usePrepared : new boolean[] {false, true}) {
            progress.accept("ResNet-50 bottleneck block, weights " + (usePrepared ? "prepared" : "encoded per session"));
            double best = Double.MAX_VALUE;
            boolean ok = true;
            long bytes = 0;
            for (int rep = 0; rep < 3; rep++) {
                long start = System.nanoTime();
                long traffic = 0;
                for (int l = 0; l < ops.length; l++) {
                    LinearOperator op = ops[l];
                    PreparedWeights pw = prepared[l];
                    long[] x = new long[op.shape().inputs()];
                    long[] xs = new long[x.length];
                    prg.nextLongs(x);
                    prg.nextLongs(xs);
                    long[] xc = new long[x.length];
                    for (int i = 0; i < x.length; i++) {
                        x[i] &= mask;
                        xs[i] &= mask;
                        xc[i] = (x[i] - xs[i]) & mask;
                    }
                    long[] sent = new long[1];
                    Object[] y = TwoParties.IN_MEMORY.run(ch -> {
                        HeLinearEngine he = HeLinearEngine.server(ch, bits).withThreads(threads);
                        long[] r = usePrepared ? he.server(pw, xs, 1) : he.server(op, xs, 1);
                        sent[0] = ch.stats().bytesSent() + ch.stats().bytesReceived();
                        return r;
                    }, (Channel ch) -> HeLinearEngine.client(ch, bits).client(op.shape(), xc, 1));
                    traffic += sent[0];
                    if (rep == 0) {
                        long[] want = op.apply(x, 1);
                        long[] ys = (long[]) y[0];
                        long[] yc = (long[]) y[1];
                        for (int i = 0; i < want.length; i++) {
                            ok &= ((ys[i] + yc[i] - want[i]) & mask) == 0;
                        }
                    }
                }
                best = Math.min(best, (System.nanoTime() - start) / 1e6);
                bytes = traffic;
            }
            JsonLine line = new JsonLine("he-resnet50-bottleneck" + (usePrepared ? "" : "-unprepared"), "ms", best)
                    .baseline("aes-blocks/s", aes).put("shape", "1x1 256-64, 3x3 64-64, 1x1 64-256 at 56x56")
                    .put("threads", threads).put("bytes", bytes).put("ok", ok);
            if (usePrepared) {
                line.put("prepared_weights_bytes", preparedBytes).put("prepare_ms", prepareMs);
            }
            lines.add(line);
        }
        return lines;
    }
}
