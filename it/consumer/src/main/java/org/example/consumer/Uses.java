package org.example.consumer;

import java.io.StringReader;
import java.nio.file.Path;
import java.security.SecureRandom;
import org.fusionmpc.api.random.Blocks;
import org.fusionmpc.api.random.Prg;
import org.fusionmpc.api.spi.Protocols;
import org.fusionmpc.api.testing.TwoParties;
import org.fusionmpc.gc.BristolFashion;
import org.fusionmpc.gc.ComparisonEngine;
import org.fusionmpc.gc.EvaluatorParty;
import org.fusionmpc.gc.GarblerParty;
import org.fusionmpc.gc.GcComparisons;
import org.fusionmpc.inference.ClientOptions;
import org.fusionmpc.inference.Inference;
import org.fusionmpc.inference.ServerOptions;
import org.fusionmpc.ot.SoftSpokenOtReceiver;
import org.fusionmpc.ot.SoftSpokenOtSender;

/** What a consumer does with the SDK, through its exported API only: each method runs both parties and returns what they got. */
public final class Uses {

    private Uses() {
    }

    /** XOR shares of [x &lt; y] on additive shares over Z_2^32, by garbled circuits; returns the opened bits. */
    public static long[] lessThan(long[] x, long[] y) throws Exception {
        long m = (1L << 32) - 1;
        SecureRandom r = new SecureRandom();
        long[] x0 = new long[x.length];
        long[] x1 = new long[x.length];
        long[] y0 = new long[x.length];
        long[] y1 = new long[x.length];
        for (int i = 0; i < x.length; i++) {
            x0[i] = r.nextLong() & m;
            x1[i] = (x[i] - x0[i]) & m;
            y0[i] = r.nextLong() & m;
            y1[i] = (y[i] - y0[i]) & m;
        }
        Object[] got = TwoParties.TCP.run(ch -> compare(GcComparisons.server(ch), x0, y0), ch -> compare(GcComparisons.client(ch), x1, y1));
        long[] a = (long[]) got[0];
        long[] b = (long[]) got[1];
        long[] out = new long[a.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = a[i] ^ b[i];
        }
        return out;
    }

    private static long[] compare(ComparisonEngine e, long[] x, long[] y) {
        return e.lessThan(x, y, 32);
    }

    /** n random OTs by SoftSpokenOT; returns {m0, m1, choices, received} for the caller to check. */
    public static long[][] randomOts(int n) throws Exception {
        long[] choices = new long[(n + 63) / 64];
        Prg.fromSecureRandom().nextLongs(choices);
        Object[] got = TwoParties.TCP.run(ch -> {
            long[] m0 = Blocks.allocate(n);
            long[] m1 = Blocks.allocate(n);
            SoftSpokenOtSender.setup(ch, new SecureRandom()).random(n, m0, m1);
            return new long[][] {m0, m1};
        }, ch -> {
            long[] mc = Blocks.allocate(n);
            SoftSpokenOtReceiver.setup(ch, new SecureRandom()).random(n, choices, mc);
            return mc;
        });
        long[][] sent = (long[][]) got[0];
        return new long[][] {sent[0], sent[1], choices, (long[]) got[1]};
    }

    /** A Bristol Fashion circuit (one input each, one output) evaluated by garbled circuits; returns the evaluator's output bits. */
    public static long[] bristol(String circuit, long garblerBits, long evaluatorBits) throws Exception {
        BristolFashion.Parsed parsed = BristolFashion.parse(new StringReader(circuit), 1);
        Object[] got = TwoParties.IN_MEMORY.run(ch -> {
            new GarblerParty(ch, SoftSpokenOtSender.setup(ch, new SecureRandom()), Prg.fromSecureRandom())
                    .run(parsed.circuit(), 1, new long[] {garblerBits});
            return null;
        }, ch -> new EvaluatorParty(ch, SoftSpokenOtReceiver.setup(ch, new SecureRandom())).run(parsed.circuit(), 1, new long[] {evaluatorBits}));
        return (long[]) got[1];
    }

    /**
     * One Fusion session through the typed inference API: the protocol selected by name, both parties made from typed
     * options, no plugin class named; returns the client's answer and the protocol object (whose module the caller may
     * inspect).
     */
    public static Object[] fusionByName(Path model, double claimed, double[][] queries) throws Exception {
        Inference fusion = Protocols.byName("fusion", Inference.class);
        Inference.Server server = fusion.server(ServerOptions.builder(model).claimedAccuracy(claimed).build());
        Inference.Client client = fusion.client(ClientOptions.builder().accuracyTest(0.2, 0.01, 0.05).build());
        Object[] got = TwoParties.TCP.run(server::serve, ch -> client.infer(ch, queries));
        return new Object[] {got[1], fusion};
    }
}
