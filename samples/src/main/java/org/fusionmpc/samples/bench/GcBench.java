package org.fusionmpc.samples.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;
import org.fusionmpc.api.testing.TwoParties;
import org.fusionmpc.api.channel.Channel;
import org.fusionmpc.api.channel.ChannelStats;
import org.fusionmpc.api.random.Prg;
import org.fusionmpc.ot.OtExtension;
import org.fusionmpc.gc.Circuit;
import org.fusionmpc.gc.ComparisonEngine;
import org.fusionmpc.gc.GcComparisons;
import org.fusionmpc.gc.OtComparisons;
import org.fusionmpc.gc.HalfGatesEvaluator;
import org.fusionmpc.gc.HalfGatesGarbler;
import org.fusionmpc.gc.ShareCircuits;
import org.fusionmpc.ot.Bits;

/**
 * Garbled-circuit speed: half-gates garbling and evaluation in AND gates per second on one thread (the
 * 64-bit ReLU-on-shares circuit, SIMD over batches of instances, at least 10^7 AND gates), beside fixed-key
 * AES blocks per second from the same run; then ReLU on shares between two parties over the in-memory
 * channel, with traffic and every result checked against plaintext.
 */
public final class GcBench {

    private static final int BATCH = 1024;

    private final int reluCount;
    private final long minAnds;
    private final boolean tcp;
    private final Consumer<String> progress;
    private final int otReluCount;

    public GcBench(int reluCount, long minAnds, boolean tcp, Consumer<String> progress) {
        this(reluCount, 1 << 20, minAnds, tcp, progress);
    }

    /** {@code otReluCount}: ReLUs and comparisons for {@code relu-ot-32} and {@code millionaire-32} (2^20 by default). */
    public GcBench(int reluCount, int otReluCount, long minAnds, boolean tcp, Consumer<String> progress) {
        if (otReluCount < 1) {
            throw new IllegalArgumentException("OT ReLU count must be positive");
        }
        this.otReluCount = otReluCount;
        if (reluCount < 1 || minAnds < 1) {
            throw new IllegalArgumentException("counts must be positive");
        }
        this.reluCount = reluCount;
        this.minAnds = minAnds;
        this.tcp = tcp;
        this.progress = progress;
    }

    public List<JsonLine> run() throws Exception {
        List<JsonLine> lines = new ArrayList<>();
        progress.accept("baseline: fixed-key AES blocks per second");
        double aes = Baselines.aesBlocksPerSecond();
        Circuit c = ShareCircuits.relu(64);
        int batches = (int) Math.max(1, (minAnds + (long) c.andGates() * BATCH - 1) / ((long) c.andGates() * BATCH));
        progress.accept("garble and evaluate " + (long) batches * BATCH * c.andGates() + " AND gates");
        double[] best = {0, 0};
        boolean ok = true;
        for (int r = 0; r < ChannelBench.REPETITIONS; r++) {
            double[] t = garbleAndEvaluate(c, batches);
            ok &= t[2] == 1;
            best[0] = Math.max(best[0], t[0]);
            best[1] = Math.max(best[1], t[1]);
        }
        long ands = (long) batches * BATCH * c.andGates();
        lines.add(new JsonLine("gc-garble-and", "AND/s", best[0]).baseline("aes-blocks", aes).put("n", ands)
                .put("circuit", "relu-on-shares-64").put("bytes_per_and", 32).put("ok", ok));
        lines.add(new JsonLine("gc-eval-and", "AND/s", best[1]).baseline("aes-blocks", aes).put("n", ands)
                .put("circuit", "relu-on-shares-64").put("ok", ok));
        for (int bits : new int[] {64, 32}) {
            progress.accept("relu on shares, " + bits + " bits, x " + reluCount);
            lines.add(relu("gc-relu-" + bits, bits, reluCount, aes, GcComparisons::server, GcComparisons::client)
                    .put("and_gates_per_relu", ShareCircuits.relu(bits).andGates()).put("ot_per_relu", bits));
        }
        // On the silent extension (what a session of this many ReLUs runs on by default), then on SoftSpokenOT beside it.
        for (int threads : new int[] {1, 2}) {
            String name = threads == 1 ? "relu-ot-32" : "relu-ot-32-2t";
            JsonLine[] pair = new JsonLine[2];
            for (OtExtension ot : new OtExtension[] {OtExtension.SILENT, OtExtension.SOFTSPOKEN}) {
                progress.accept("relu on shares by the millionaires' comparison, 32 bits, " + threads + " thread(s) per party, "
                        + ot.id() + " OT, x " + otReluCount);
                pair[ot.ordinal()] = relu(name, 32, otReluCount, aes, ch -> OtComparisons.server(ch, threads, ot),
                        ch -> OtComparisons.client(ch, threads, ot)).put("threads", threads).put("ot", ot.id());
            }
            lines.add(withSoftspokenRatio(pair, "ReLU/s"));
            lines.add(pair[OtExtension.SOFTSPOKEN.ordinal()]);
        }
        JsonLine[] pair = new JsonLine[2];
        for (OtExtension ot : new OtExtension[] {OtExtension.SILENT, OtExtension.SOFTSPOKEN}) {
            progress.accept("millionaires' comparisons, 32 bits, " + ot.id() + " OT, x " + otReluCount);
            pair[ot.ordinal()] = millionaire(32, otReluCount, aes, ot).put("ot", ot.id());
        }
        lines.add(withSoftspokenRatio(pair, "cmp/s"));
        lines.add(pair[OtExtension.SOFTSPOKEN.ordinal()]);
        return lines;
    }

    /** The silent line of a pair, with its speed and bytes beside the SoftSpokenOT line's of the same run. */
    private static JsonLine withSoftspokenRatio(JsonLine[] pair, String unit) {
        JsonLine silent = pair[OtExtension.SILENT.ordinal()];
        JsonLine soft = pair[OtExtension.SOFTSPOKEN.ordinal()];
        String bytes = unit.equals("ReLU/s") ? "bytes_per_relu" : "bytes_per_comparison";
        return silent.put("speed_vs_softspoken", (Double) silent.get("value") / (Double) soft.get("value"))
                .put("bytes_vs_softspoken", (Double) silent.get(bytes) / (Double) soft.get(bytes));
    }

    /** {garble AND/s, evaluate AND/s, 1 if every output decoded right}. */
    private static double[] garbleAndEvaluate(Circuit c, int batches) {
        Prg prg = Prg.fromSecureRandom();
        HalfGatesGarbler garbler = new HalfGatesGarbler(prg);
        HalfGatesEvaluator evaluator = new HalfGatesEvaluator();
        int slots = c.wireSlots();
        long[] zero = new long[2 * slots * BATCH];
        long[] active = new long[2 * slots * BATCH];
        int tablePieces = c.andGates();
        long[] tables = new long[4 * BATCH * tablePieces];
        long[] decode = new long[Bits.words(c.outputCount() * BATCH)];
        long[] out = new long[decode.length];
        long[] gBits = new long[c.garblerInputs()];
        long[] eBits = new long[c.evaluatorInputs()];
        long garbleNanos = 0;
        long evalNanos = 0;
        boolean ok = true;
        for (int batch = 0; batch < batches; batch++) {
            prg.nextLongs(gBits);
            prg.nextLongs(eBits);
            garbler.newInputLabels(c, BATCH, zero);
            encodeInputs(garbler, c, zero, active, gBits, eBits);
            int[] at = {0};
            long t0 = System.nanoTime();
            garbler.garble(c, BATCH, zero, (t, off, len) -> {
                System.arraycopy(t, off, tables, at[0], len);
                at[0] += len;
            });
            long t1 = System.nanoTime();
            int[] from = {0};
            evaluator.evaluate(c, BATCH, active, (t, off, len) -> {
                System.arraycopy(tables, from[0], t, off, len);
                from[0] += len;
            });
            long t2 = System.nanoTime();
            garbleNanos += t1 - t0;
            evalNanos += t2 - t1;
            garbler.decodeBits(c, BATCH, zero, decode);
            HalfGatesEvaluator.decode(c, BATCH, active, decode, out);
            ok &= checkFirst64(c, gBits, eBits, out);
        }
        double ands = (double) batches * BATCH * c.andGates();
        return new double[] {ands / (garbleNanos / 1e9), ands / (evalNanos / 1e9), ok ? 1 : 0};
    }

    /**
     * Instance i's input bit k is bit i of word k, for the first 64 instances; the others repeat instance
     * i mod 64, so the first 64 outputs are checked against bit-sliced plaintext evaluation.
     */
    private static void encodeInputs(HalfGatesGarbler g, Circuit c, long[] zero, long[] active, long[] gBits, long[] eBits) {
        System.arraycopy(zero, 0, active, 0, 2 * BATCH);
        for (int k = 0; k < c.garblerInputs(); k++) {
            for (int i = 0; i < BATCH; i++) {
                int s = c.garblerInputSlot(k) * BATCH + i;
                g.encode(zero, s, (gBits[k] >>> (i & 63) & 1) != 0, active, s);
            }
        }
        for (int k = 0; k < c.evaluatorInputs(); k++) {
            for (int i = 0; i < BATCH; i++) {
                int s = c.evaluatorInputSlot(k) * BATCH + i;
                g.encode(zero, s, (eBits[k] >>> (i & 63) & 1) != 0, active, s);
            }
        }
    }

    private static boolean checkFirst64(Circuit c, long[] gBits, long[] eBits, long[] out) {
        long[] want = c.evaluate(gBits, eBits);
        for (int k = 0; k < want.length; k++) {
            for (int i = 0; i < BATCH; i++) {
                if (Bits.get(out, k * BATCH + i) != ((want[k] >>> (i & 63) & 1) != 0)) {
                    return false;
                }
            }
        }
        return true;
    }

    private JsonLine relu(String name, int bits, int count, double aes, Function<Channel, ? extends ComparisonEngine> serverSide,
                          Function<Channel, ? extends ComparisonEngine> clientSide) throws Exception {
        Prg prg = Prg.fromSecureRandom();
        long mask = bits == 64 ? -1L : (1L << bits) - 1;
        long[] x = new long[count];
        long[] s = new long[count];
        long[] cShare = new long[count];
        for (int i = 0; i < count; i++) {
            x[i] = (prg.nextLong() >> (66 - bits)) & mask; // |x| < 2^(bits-2): the fixed-point range inference keeps
            s[i] = prg.nextLong() & mask;
            cShare[i] = (x[i] - s[i]) & mask;
        }
        Channel[] pair = (tcp ? TwoParties.TCP : TwoParties.IN_MEMORY).pair();
        try (Channel server = pair[0]; Channel client = pair[1]) {
            ComparisonEngine[] engines = new ComparisonEngine[2];
            TwoParties.timeBoth(() -> engines[0] = serverSide.apply(server), () -> engines[1] = clientSide.apply(client));
            ChannelStats before = server.stats();
            long[][] out = new long[2][];
            double seconds = TwoParties.timeBoth(() -> out[0] = engines[0].relu(s, bits), () -> out[1] = engines[1].relu(cShare, bits));
            ChannelStats traffic = server.stats().minus(before);
            boolean ok = true;
            for (int i = 0; i < count && ok; i++) {
                long signed = bits == 64 ? x[i] : x[i] << (64 - bits) >> (64 - bits);
                ok = ((out[0][i] + out[1][i]) & mask) == (Math.max(signed, 0) & mask);
            }
            return new JsonLine(name, "ReLU/s", count / seconds).baseline("aes-blocks", aes)
                    .put("n", count).put("bytes_sent", traffic.bytesSent()).put("bytes_received", traffic.bytesReceived())
                    .put("bytes_per_relu", (double) (traffic.wireBytesSent() + traffic.wireBytesReceived()) / count)
                    .put("rounds", traffic.rounds()).put("transport", tcp ? "tcp" : "inmem").put("ok", ok);
        }
    }

    /** Millionaires' comparisons of 32-bit values, server's a against client's b: comparisons per second, bytes, checked. */
    private JsonLine millionaire(int bits, int count, double aes, OtExtension ot) throws Exception {
        Prg prg = Prg.fromSecureRandom();
        long mask = (1L << bits) - 1;
        long[] a = new long[count];
        long[] b = new long[count];
        for (int i = 0; i < count; i++) {
            a[i] = prg.nextLong() & mask;
            b[i] = i % 4 == 0 ? a[i] ^ (1L << (i % bits)) : prg.nextLong() & mask; // some long common prefixes
        }
        Channel[] pair = (tcp ? TwoParties.TCP : TwoParties.IN_MEMORY).pair();
        try (Channel server = pair[0]; Channel client = pair[1]) {
            OtComparisons[] engines = new OtComparisons[2];
            TwoParties.timeBoth(() -> engines[0] = OtComparisons.server(server, 1, ot), () -> engines[1] = OtComparisons.client(client, 1, ot));
            ChannelStats before = server.stats();
            long[][] out = new long[2][];
            double seconds = TwoParties.timeBoth(() -> out[0] = engines[0].lessThan(a, bits), () -> out[1] = engines[1].lessThan(b, bits));
            ChannelStats traffic = server.stats().minus(before);
            boolean ok = true;
            for (int i = 0; i < count && ok; i++) {
                ok = (out[0][i] ^ out[1][i]) == (a[i] < b[i] ? 1 : 0);
            }
            return new JsonLine("millionaire-" + bits, "cmp/s", count / seconds).baseline("aes-blocks", aes)
                    .put("n", count).put("bytes_sent", traffic.bytesSent()).put("bytes_received", traffic.bytesReceived())
                    .put("bytes_per_comparison", (double) (traffic.wireBytesSent() + traffic.wireBytesReceived()) / count)
                    .put("rounds", traffic.rounds()).put("transport", tcp ? "tcp" : "inmem").put("ok", ok);
        }
    }
}
