package org.fusionmpc.he;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.fusionmpc.api.channel.Channel;
import org.fusionmpc.api.channel.ChannelException;
import org.fusionmpc.api.random.Prg;
import org.fusionmpc.api.testing.TwoParties;
import org.fusionmpc.ring.LinearOperator;
import org.fusionmpc.ring.LinearShape;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The RLWE linear engine on shares over Z_2^37, two parties, against the plaintext product mod 2^37 for every
 * linear shape of the reference networks (MNIST MLP, MiniONN MNIST and CIFAR-10, LeNet-5), random and edge
 * inputs, in memory and over TCP.
 */
class HeLinearEngineTest {

    static final int L = HeLinearEngine.DEFAULT_PLAIN_BITS;
    static final long MASK = (1L << L) - 1;

    /** Geometry: {m, n} dense, or {c, h, w, o, kh, kw, stride, pad, groups}. */
    static final int[][] SHAPES = {
        {128, 784}, {128, 128}, {10, 128}, // SecureML MLP
        {1, 28, 28, 16, 5, 5, 1, 0, 1}, {16, 12, 12, 16, 5, 5, 1, 0, 1}, {100, 256}, {10, 100}, // MiniONN MNIST
        {1, 28, 28, 6, 5, 5, 1, 2, 1}, {6, 14, 14, 16, 5, 5, 1, 0, 1}, {120, 400}, // LeNet-5
        {3, 32, 32, 64, 3, 3, 1, 1, 1}, {64, 32, 32, 64, 3, 3, 1, 1, 1}, {64, 32, 32, 64, 2, 2, 2, 0, 64}, // MiniONN CIFAR-10
        {64, 16, 16, 64, 3, 3, 1, 1, 1}, {64, 8, 8, 64, 3, 3, 1, 1, 1}, {64, 8, 8, 64, 1, 1, 1, 0, 1},
        {64, 8, 8, 16, 1, 1, 1, 0, 1}, {10, 1024},
        {3, 9, 7, 4, 3, 2, 2, 1, 1}, // odd: non-square kernel, stride and padding together
        {2, 70, 70, 3, 3, 3, 1, 1, 1}, // tiled: 72x72 padded does not fit one polynomial
        {3, 140, 140, 4, 7, 7, 2, 3, 1}, // tiled, a 7x7 kernel at stride 2 with padding 3 (ResNet's stem, smaller)
        {4, 56, 56, 4, 1, 1, 2, 0, 1}, // 1x1 at stride 2 (ResNet's downsampling shortcut, fewer channels)
        {2, 62, 62, 3, 3, 3, 1, 1, 1}, // 64x64 padded fills N = 4096 exactly: products wrap around below the outputs
        {5, 30, 30, 3, 1, 1, 1, 0, 1}, // 1x1: pixels as a matrix product, 900 pixels at a channel stride of 1024
        {2, 70, 70, 3, 1, 1, 1, 0, 1}, // 1x1 over 4900 pixels: two tiles of N pixels, one channel each
        {3, 10, 10, 2, 1, 1, 1, 1, 1}, // 1x1 with padding: the general convolution plan
        {40, 7, 7, 5, 1, 1, 1, 0, 1}, // 1x1 at 7x7 (ResNet's last stage): 49 pixels at a stride of 64, 40 channels in one polynomial
        {3, 10, 11, 5, 1, 3, 3, 1, 1}, // a kernel shorter than the stride in one direction only: phases it never reaches dropped
    };

    static LinearOperator operator(int[] g, SplittableRandom r) {
        if (g.length == 2) {
            return LinearOperator.dense(r.longs((long) g[0] * g[1], -2048, 2049).toArray(), g[0], g[1]);
        }
        long[] w = r.longs((long) g[3] * (g[0] / g[8]) * g[4] * g[5], -2048, 2049).toArray();
        return LinearOperator.conv2d(w, g[0], g[1], g[2], g[3], g[4], g[5], g[6], g[7], g[8]);
    }

    static Stream<Arguments> cases() {
        Stream<Arguments> all = Stream.of(SHAPES).map(g -> Arguments.of(TwoParties.IN_MEMORY, g));
        Stream<Arguments> tcp = Stream.of(SHAPES[0], SHAPES[4], SHAPES[18], SHAPES[20], SHAPES[22]).map(g -> Arguments.of(TwoParties.TCP, g));
        return Stream.concat(all, tcp);
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("cases")
    void sharesOfTheProductEqualPlaintextModTwoToEll(TwoParties parties, int[] g) throws Exception {
        SplittableRandom r = new SplittableRandom(java.util.Arrays.hashCode(g));
        LinearOperator op = operator(g, r);
        LinearShape shape = op.shape();
        int batch = 2;
        long[] x = new long[shape.inputs() * batch];
        long[] edges = {0, 1, MASK, 1L << (L - 1), (1L << (L - 1)) - 1, MASK - 1};
        for (int i = 0; i < x.length; i++) {
            x[i] = i < edges.length ? edges[i] : r.nextLong() & MASK;
        }
        long[] xs = r.longs(x.length).map(v -> v & MASK).toArray();
        long[] xc = new long[x.length];
        for (int i = 0; i < x.length; i++) {
            xc[i] = (x[i] - xs[i]) & MASK;
        }
        Object[] got = parties.run(ch -> HeLinearEngine.server(ch, L).server(op, xs, batch),
                ch -> HeLinearEngine.client(ch, L).client(shape, xc, batch));
        long[] ys = (long[]) got[0];
        long[] yc = (long[]) got[1];
        long[] want = op.apply(x, batch);
        long[] sum = new long[want.length];
        for (int i = 0; i < want.length; i++) {
            want[i] &= MASK;
            sum[i] = (ys[i] + yc[i]) & MASK;
        }
        assertArrayEquals(want, sum);
    }

    /**
     * Slot isolation: a server that adds slot 1's ciphertexts into slot 0's (what any computation across slots
     * needs) makes slot 0 decrypt to noise under slot 0's own key, not to W·(x_0 + x_1), while the other slots
     * stay right. The same server against a client that (insecurely) keeps one key for all slots gets
     * W·(x_0 + x_1) exactly: the test would fail if isolation were lost. In memory and over TCP.
     */
    @ParameterizedTest(name = "{0}")
    @org.junit.jupiter.params.provider.EnumSource(TwoParties.class)
    void mixedSlotsDecryptToNoise(TwoParties parties) throws Exception {
        LinearOperator op = operator(new int[] {10, 128}, new SplittableRandom(11));
        LinearShape shape = op.shape();
        int batch = 3;
        int in = shape.inputs();
        int out = shape.outputs();
        SplittableRandom r = new SplittableRandom(12);
        long[] x = r.longs((long) in * batch, 0, 1 << 12).toArray(); // small values: sums of two stay exact mod 2^ℓ
        long[] xs = r.longs(x.length).map(v -> v & MASK).toArray();
        long[] xc = new long[x.length];
        for (int i = 0; i < x.length; i++) {
            xc[i] = (x[i] - xs[i]) & MASK;
        }
        long[][] mix = {{1, 1, 0}, {0, 1, 0}, {0, 0, 1}};
        long[] mixed = op.apply(java.util.stream.LongStream.range(0, x.length)
                .map(i -> i < in ? x[(int) i] + x[(int) i + in] : x[(int) i]).toArray(), batch);
        for (boolean isolated : new boolean[] {true, false}) {
            Object[] got = parties.run(ch -> HeLinearEngine.server(ch, L).simulateMaliciousSlotMixing((call, n) -> mix).server(op, xs, batch),
                    ch -> {
                        HeLinearEngine client = HeLinearEngine.client(ch, L);
                        return (isolated ? client : client.insecureOneKeyForAllSlots()).client(shape, xc, batch);
                    });
            long[] y = new long[out * batch];
            for (int i = 0; i < y.length; i++) {
                y[i] = (((long[]) got[0])[i] + ((long[]) got[1])[i]) & MASK;
            }
            for (int i = out; i < y.length; i++) {
                assertEquals(mixed[i] & MASK, y[i], "untouched slots stay right, output " + i);
            }
            int equal = 0;
            for (int i = 0; i < out; i++) {
                equal += y[i] == (mixed[i] & MASK) ? 1 : 0;
            }
            if (isolated) {
                assertEquals(0, equal, "slot 0 under its own key decrypts to noise, not to W·(x_0 + x_1)");
            } else {
                assertEquals(out, equal, "under one shared key the mixed reply is W·(x_0 + x_1)");
            }
        }
    }

    @Test
    void everySlotHasItsOwnKeyAndPublicKey() throws Exception {
        LinearOperator op = operator(new int[] {10, 128}, new SplittableRandom(13));
        long[] bytes = new long[4];
        for (int batch : new int[] {1, 3}) {
            int b = batch;
            TwoParties.IN_MEMORY.run(ch -> {
                HeLinearEngine s = HeLinearEngine.server(ch, L);
                s.server(op, new long[128 * b], b);
                s.server(op, new long[128 * b], b); // keys are drawn once per slot, not per layer
                assertEquals(b, s.slotKeys());
                return null;
            }, ch -> {
                long before = ch.stats().bytesSent();
                HeLinearEngine c = HeLinearEngine.client(ch, L);
                c.client(op.shape(), new long[128 * b], b);
                bytes[b] = ch.stats().bytesSent() - before;
                c.client(op.shape(), new long[128 * b], b);
                assertEquals(b, c.slotKeys());
                return null;
            });
        }
        CiphertextCodec codec = new CiphertextCodec(SecretKeyRlwe.standard());
        assertEquals(3 * bytes[1], bytes[3], "each slot sends its own public key and ciphertexts");
        assertTrue(bytes[1] >= 2L * codec.seededLongs() * 8, "a public key and a ciphertext per slot");
    }

    @Test
    void twoThreadsGiveTheSameProductAndTheSameWireAsOne() throws Exception {
        int[] g = {64, 16, 16, 64, 3, 3, 1, 1, 1};
        LinearOperator op = operator(g, new SplittableRandom(3));
        LinearShape shape = op.shape();
        long[] x = new SplittableRandom(4).longs(shape.inputs()).map(v -> v & MASK).toArray();
        long[] want = op.apply(x, 1);
        long[] bytes = new long[3];
        for (int threads : new int[] {1, 2}) {
            Object[] got = TwoParties.IN_MEMORY.run(ch -> {
                long[] y = HeLinearEngine.server(ch, L).withThreads(threads).server(op, new long[x.length], 1);
                bytes[threads] = ch.stats().bytesSent();
                return y;
            }, ch -> HeLinearEngine.client(ch, L).client(shape, x, 1));
            long[] ys = (long[]) got[0];
            long[] yc = (long[]) got[1];
            for (int i = 0; i < want.length; i++) {
                assertEquals(want[i] & MASK, (ys[i] + yc[i]) & MASK, threads + " threads, output " + i);
            }
        }
        assertEquals(bytes[1], bytes[2], "the wire does not depend on the thread count");
    }

    /**
     * Decryption failures, measured: the flooded noise of every output coefficient of many products, after the
     * switch down to p_0, stays below Δ'/2 (the width is chosen so it stays below Δ'/4 plus the switch's
     * rounding), and is as wide as the flooding says, divided by p_1.
     */
    @Test
    void floodedNoiseStaysInsideTheBudgetOnEveryCoefficient() throws Exception {
        SplittableRandom r = new SplittableRandom(9);
        RnsPoly.Ring ring = SecretKeyRlwe.standard();
        LinearOperator[] ops = {operator(new int[] {128, 784}, r), operator(new int[] {1, 28, 28, 16, 5, 5, 1, 0, 1}, r)};
        int coefficients = 0;
        for (int trial = 0; trial < 8; trial++) {
            LinearOperator op = ops[trial % 2];
            long[] x = r.longs(op.shape().inputs()).map(v -> v & MASK).toArray();
            SecretKeyRlwe key = new SecretKeyRlwe(ring, L, Prg.fromSecureRandom());
            HeLinearEngine.Plan plan = HeLinearEngine.Plan.of(ring.n(), op.shape(), op.weights());
            int[] bounds = new int[2];
            Object[] got = TwoParties.IN_MEMORY.run(ch -> {
                HeLinearEngine server = HeLinearEngine.server(ch, L);
                bounds[0] = server.floodBits(plan);
                bounds[1] = SecretKeyRlwe.deltaBits(ring.firstLimb(), L);
                return server.server(op, new long[op.shape().inputs()], 1);
            }, ch -> {
                CiphertextCodec codec = new CiphertextCodec(ring);
                codec.sendSeeded(ch, key.encryptSeeded(new long[ring.n()])); // the slot's public key
                for (int j = 0; j < plan.inputPolys(); j++) {
                    codec.sendSeeded(ch, key.encryptSeeded(plan.input(plan.layout(x), j)));
                }
                SecretKeyRlwe.Partial[] out = new SecretKeyRlwe.Partial[plan.outputPolys()];
                for (int o = 0; o < out.length; o++) {
                    out[o] = codec.receiveSwitched(ch, ring.firstLimb(), plan.positions(o));
                }
                return out;
            });
            long[] y = op.apply(x, 1);
            SecretKeyRlwe.Partial[] out = (SecretKeyRlwe.Partial[]) got[1];
            long[] mask = (long[]) got[0];
            double worst = 0;
            SecretKeyRlwe small = key.firstLimb();
            int dropped = 63 - Long.numberOfLeadingZeros(ring.prime(1)); // ⌊log2 p_1⌋
            for (int o = 0; o < out.length; o++) {
                long[] dec = small.decrypt(out[o]);
                int[] dest = plan.destinations(o);
                for (int k = 0; k < dest.length; k++) {
                    assertEquals(y[dest[k]] & MASK, (dec[k] + mask[dest[k]]) & MASK, "decryption failure");
                }
                worst = Math.max(worst, small.noiseBits(out[o], dec));
                coefficients += dest.length;
            }
            if (trial < 2) {
                System.out.printf("he: %s flooding 2^%d, after the switch to p_0 worst noise 2^%.0f, decryption bound 2^%d%n",
                        op.shape(), bounds[0], worst, bounds[1] - 1);
            }
            assertTrue(worst <= bounds[0] - dropped + 1, "noise above the flooding width: 2^" + worst);
            assertTrue(worst >= bounds[0] - dropped - 8, "flooding noise missing: 2^" + worst + " against 2^" + (bounds[0] - dropped));
            assertTrue(worst < bounds[1] - 1, "noise reaches Δ'/4");
        }
        System.out.printf("he: 0 decryption failures in %d output coefficients%n", coefficients);
    }

    @Test
    void aMalformedCiphertextFromTheClientIsAClearProtocolError() throws Exception {
        LinearOperator op = operator(new int[] {10, 128}, new SplittableRandom(1));
        RnsPoly.Ring ring = SecretKeyRlwe.standard();
        Channel[] pair = TwoParties.IN_MEMORY.pair();
        SecretKeyRlwe key = new SecretKeyRlwe(ring, L, Prg.fromSecureRandom());
        new CiphertextCodec(ring).sendSeeded(pair[1], key.encryptSeeded(new long[ring.n()]));
        long[] coefficients = new long[ring.limbs() * ring.n()];
        coefficients[5] = ring.prime(0); // one coefficient equal to its prime
        pair[1].send(new CiphertextCodec(ring).seededMessage(coefficients, new byte[16]));
        pair[1].flush();
        HeLinearEngine server = HeLinearEngine.server(pair[0], L);
        ChannelException e = assertThrows(ChannelException.class, () -> server.server(op, new long[128], 1));
        assertEquals(ChannelException.Kind.PROTOCOL, e.kind());
        assertTrue(e.getMessage().contains("malformed ciphertext"), e.getMessage());
    }

    @Test
    void tooLargeChannelsAndWeightsAreRefusedClearly() {
        RnsPoly.Ring ring = SecretKeyRlwe.standard();
        assertThrows(UnsupportedOperationException.class, // rows of 1402 values, three at a time, exceed N
                () -> HeLinearEngine.Plan.of(ring.n(), LinearShape.conv2d(1, 3, 1400, 1, 3, 3, 1, 1), null));
        HeLinearEngine.ConvPlan tiled = (HeLinearEngine.ConvPlan) HeLinearEngine.Plan.of(ring.n(), LinearShape.conv2d(1, 70, 70, 1, 3, 3, 1, 1), null);
        assertEquals(2, tiled.tiles(), "72 padded rows of 72: 56 rows a tile give 54 of the 70 output rows");
        HeLinearEngine.ConvPlan whole = (HeLinearEngine.ConvPlan) HeLinearEngine.Plan.of(ring.n(), LinearShape.conv2d(1, 62, 62, 1, 3, 3, 1, 1), null);
        assertEquals(1, whole.tiles(), "64x64 padded is exactly N");
        assertThrows(IllegalArgumentException.class, () -> HeLinearEngine.checkBits(64));
        long[] huge = new long[100 * 784];
        java.util.Arrays.fill(huge, 1L << 30);
        LinearOperator op = LinearOperator.dense(huge, 100, 784);
        Channel[] pair = TwoParties.IN_MEMORY.pair();
        HeLinearEngine server = HeLinearEngine.server(pair[0], L);
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> server.floodBits(HeLinearEngine.Plan.of(ring.n(), op.shape(), op.weights())));
        assertTrue(e.getMessage().contains("OT linear engine"), e.getMessage());
    }

    static Stream<Arguments> packedCases() {
        Stream<Arguments> all = Stream.of(SHAPES).map(g -> Arguments.of(TwoParties.IN_MEMORY, g));
        Stream<Arguments> tcp = Stream.of(SHAPES[3], SHAPES[14], SHAPES[25]).map(g -> Arguments.of(TwoParties.TCP, g));
        return Stream.concat(all, tcp);
    }

    /**
     * Batch packing: a batch of 7 (not a multiple of any packing) with several elements per polynomial gives, share
     * for share, the plaintext product of every element, on every shape, in memory and over TCP; where a layer
     * leaves room for two or more elements it sends fewer bytes than the same batch unpacked.
     */
    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("packedCases")
    void packedBatchesEqualPlaintextAndSendLess(TwoParties parties, int[] g) throws Exception {
        SplittableRandom r = new SplittableRandom(java.util.Arrays.hashCode(g) + 1);
        LinearOperator op = operator(g, r);
        LinearShape shape = op.shape();
        int batch = 7;
        long[] x = r.longs((long) shape.inputs() * batch).map(v -> v & MASK).toArray();
        for (int i = 0; i < shape.inputs(); i++) {
            x[i] = i % 2 == 0 ? MASK : 1L << (L - 1); // element 0 at the edges: -1 and -2^(l-1)
        }
        long[] xs = r.longs(x.length).map(v -> v & MASK).toArray();
        long[] xc = new long[x.length];
        for (int i = 0; i < x.length; i++) {
            xc[i] = (x[i] - xs[i]) & MASK;
        }
        long[] want = op.apply(x, batch);
        long[] bytes = new long[2];
        for (boolean pack : new boolean[] {true, false}) {
            Object[] got = parties.run(ch -> {
                HeLinearEngine e = HeLinearEngine.server(ch, L);
                long[] y = (pack ? e.withBatchPacking() : e).server(op, xs, batch);
                bytes[pack ? 1 : 0] = ch.stats().bytesSent() + ch.stats().bytesReceived();
                return y;
            }, ch -> {
                HeLinearEngine e = HeLinearEngine.client(ch, L);
                return (pack ? e.withBatchPacking() : e).client(shape, xc, batch);
            });
            long[] ys = (long[]) got[0];
            long[] yc = (long[]) got[1];
            for (int i = 0; i < want.length; i++) {
                assertEquals(want[i] & MASK, (ys[i] + yc[i]) & MASK, (pack ? "packed" : "unpacked") + " output " + i);
            }
        }
        int elements = HeLinearEngine.PackedPlan.elementsFor(SecretKeyRlwe.standard().n(), HeLinearEngine.Plan.of(SecretKeyRlwe.standard().n(), shape, null));
        if (elements >= 2) {
            assertTrue(bytes[1] < bytes[0], "packing " + elements + " elements a polynomial sends less: " + bytes[1] + " against " + bytes[0]);
        }
    }
}
