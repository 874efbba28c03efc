package org.fusionmpc.he;

import java.util.Objects;
import org.fusionmpc.api.channel.Channel;
import org.fusionmpc.api.random.Prg;
import org.fusionmpc.ring.LinearEngine;
import org.fusionmpc.ring.LinearOperator;
import org.fusionmpc.ring.LinearShape;

/**
 * The RLWE {@link LinearEngine} of Cheetah (Huang et al., USENIX Security 2022): shares over Z_2^ℓ, the client
 * encrypts its share under its own secret key ({@link SecretKeyRlwe}, seeded so only b travels), the server
 * adds Δ·(its share), multiplies by its weights in Cheetah's coefficient encoding ({@link CheetahMatVec},
 * {@link CheetahConv}; no rotations), subtracts a fresh uniform mask r from every coefficient and returns the
 * ciphertext (b only where outputs are, all of a); the client decrypts W·x - r and the server keeps r. One round
 * trip per layer.
 *
 * <p>What the client sees of the weights. Every coefficient is masked by a one-time pad in Z_t, so the
 * decrypted value is uniform except for the output coefficients, which are W·x - r as the functionality says.
 * What remains is the ciphertext itself: its a half is re-randomised by adding the server's encryption of zero
 * under the client's public key ((b_pk·u + e1, a_pk·u + e2), u ternary), which makes it an RLWE sample the client
 * cannot divide by its own a; its noise, which holds e·W, is flooded with uniform noise of
 * {@value #FLOOD_STAT_BITS} bits more than a public bound on that term, so the noise reveals nothing of W beyond
 * statistical distance 2^-40 per coefficient. The bound depends on the public shape and on ⌈log2 max|W|⌉, which
 * the flooding width therefore reveals (the only thing beyond the architecture).
 *
 * <p>Slot isolation. Every column of a batch (a slot) has its own secret key and its own public key, both
 * drawn when the column first appears: the client sends one seeded public key per slot before that slot's
 * first ciphertext. A server that combines ciphertexts of two slots (which a server mixing slots must do to
 * make one slot's answer depend on another's input, e.g. to find the replicas Fusion hides among its slots)
 * gets a ciphertext the client decrypts with the first slot's key: b' + a'·s_b = Δ·m' + e' + a'·(s_b - s_b'),
 * uniform noise under RLWE, never a product of the other slot's input. No polynomial ever holds two slots. So a
 * batch of one session gives a malicious server no more than separate sessions would (tested by
 * {@code HeLinearEngineTest.mixedSlotsDecryptToNoise}); the cost is one seeded public key per slot (half a
 * ciphertext, about 55 KB).
 *
 * <p>Padding is zeros both parties insert locally, a stride is local subsampling of the stride-1 output, and a
 * grouped convolution is a full one with zero kernels between groups, whose products are skipped; channels
 * larger than a polynomial are cut into overlapping row tiles. Semi-honest security; a convolution needs
 * kh·(w + 2·pad) ≤ N.
 */
public final class HeLinearEngine implements LinearEngine {

    /** ℓ for inference: the widest that leaves room to flood MNIST- and CIFAR-sized layers at log q = 108. */
    public static final int DEFAULT_PLAIN_BITS = 37;
    /** Statistical security of noise flooding, in bits. */
    public static final int FLOOD_STAT_BITS = 40;

    private final Channel channel;
    private final int bits;
    /**
     * Products go back switched down to the first prime p_0 (Cheetah does the same): round(c·p_0/q) is a public
     * operation on an already flooded ciphertext, so it reveals nothing, and it halves the reply. It needs
     * Δ' = ⌊p_0/2^ℓ⌋ wide enough that the switch's rounding (below (N+1)/2 for a ternary secret) stays under
     * Δ'/8, which holds for ℓ ≤ {@value #SWITCH_MAX_BITS}; wider shares travel at full modulus.
     */
    static final int SWITCH_MAX_BITS = 38;
    private final boolean switched;
    private final RnsPoly.Ring small;
    private final long p1Half;
    private final long p1InvModP0;
    private final RnsPoly.Ring ring;
    private final CiphertextCodec codec;
    private final long[] delta;
    /** The client's keys, one per slot (column) seen so far, each from its own seed; null on the server. */
    private final java.util.List<SecretKeyRlwe> keys;
    private final java.util.List<SecretKeyRlwe> smallKeys;
    private final Prg keySeeds;
    /** The server's copies of each slot's public key in the evaluation domain, Montgomery form; null on the client. */
    private final java.util.List<long[][]> pkB;
    private final java.util.List<long[][]> pkA;
    private final Prg prg;
    private int threads = DEFAULT_THREADS;
    private boolean insecureOneKeyForAllSlots;
    private boolean packBatch;
    private SlotMixing mixing;
    private int products;

    /** Two: the work of one party splits across the two cores of the machines this is benchmarked on. */
    public static final int DEFAULT_THREADS = 2;

    /**
     * Threads for the server's products (the count is a setting; the wire and the results are the same for any
     * count). Returns this engine.
     */
    public HeLinearEngine withThreads(int count) {
        if (count < 1 || count > 64) {
            throw new IllegalArgumentException("threads must be 1..64, got " + count);
        }
        this.threads = count;
        return this;
    }

    private HeLinearEngine(Channel channel, int bits, boolean client) {
        this.channel = Objects.requireNonNull(channel, "channel");
        this.bits = bits;
        this.ring = SecretKeyRlwe.standard();
        this.small = ring.firstLimb();
        this.switched = bits <= SWITCH_MAX_BITS;
        if (switched) {
            Modulus m0 = ring.ntt[0].modulus();
            p1Half = ring.prime(1) / 2;
            p1InvModP0 = m0.inverse(m0.reduce(ring.prime(1)));
        } else {
            p1Half = 0;
            p1InvModP0 = 0;
        }
        this.codec = new CiphertextCodec(ring);
        this.delta = SecretKeyRlwe.deltaPerLimb(ring, bits);
        this.keys = client ? new java.util.ArrayList<>() : null;
        this.smallKeys = client ? new java.util.ArrayList<>() : null;
        this.keySeeds = client ? Prg.fromSecureRandom() : null;
        this.pkB = client ? null : new java.util.ArrayList<>();
        this.pkA = client ? null : new java.util.ArrayList<>();
        this.prg = client ? null : Prg.fromSecureRandom();
    }

    /**
     * Batch packing, for semi-honest sessions only: one key for the whole batch, and where one element's layer
     * leaves a polynomial mostly empty, several elements in each input polynomial ({@link PackedPlan}), so a batch
     * sends fewer ciphertexts per element. Both parties must set it (the session request carries it). A server
     * that is not semi-honest could combine the elements of one polynomial or key, so a protocol whose server may
     * deviate (Fusion) must leave it off: that is what keeps its slots isolated. Returns this engine.
     */
    public HeLinearEngine withBatchPacking() {
        this.packBatch = true;
        return this;
    }

    /** Whether this engine packs batch elements ({@link #withBatchPacking}). */
    public boolean packsBatches() {
        return packBatch;
    }

    /**
     * Test-only, and insecure under a malicious server: every slot under the first slot's key (public keys are
     * still sent per slot, so the wire is unchanged). It exists so that the slot-isolation test can show what a
     * mixing server gets without isolation. Returns this engine.
     */
    HeLinearEngine insecureOneKeyForAllSlots() {
        this.insecureOneKeyForAllSlots = true;
        return this;
    }

    /**
     * A server's deviation that combines slots, for simulating a malicious server only: {@code matrix(call,
     * batch)} (null for none) gives M for the engine's {@code call}-th product, and slot b's input ciphertexts are
     * replaced by Σ_b' M[b][b']·(slot b''s ciphertexts, the server's share added) before the products.
     */
    @FunctionalInterface
    public interface SlotMixing {
        long[][] matrix(int call, int batch);
    }

    /** This server engine deviating as {@code m} (see {@link SlotMixing}); returns this engine. */
    public HeLinearEngine simulateMaliciousSlotMixing(SlotMixing m) {
        if (keys != null) {
            throw new IllegalStateException("this is the client's engine");
        }
        this.mixing = m;
        return this;
    }

    /**
     * Keys for slots up to {@code batch}: the client draws each new slot's secret key from a fresh seed and sends its
     * seeded public key (an encryption of zero); the server receives them in the same order.
     */
    private void ensureSlotKeys(int batch) {
        if (keys != null) {
            while (keys.size() < batch) {
                SecretKeyRlwe k = insecureOneKeyForAllSlots && !keys.isEmpty() ? keys.get(0)
                        : new SecretKeyRlwe(ring, bits, new Prg(keySeeds.nextSeed()));
                keys.add(k);
                smallKeys.add(switched ? k.firstLimb() : null);
                codec.sendSeeded(channel, k.encryptSeeded(new long[ring.n()]));
            }
        } else {
            while (pkB.size() < batch) {
                SecretKeyRlwe.Ciphertext pk = codec.receiveSeeded(channel);
                pkB.add(montgomeryNtt(ring, pk.b().limbs));
                pkA.add(montgomeryNtt(ring, pk.a().limbs));
            }
        }
    }

    /** Slots whose keys this engine holds (client) or has received (server). */
    int slotKeys() {
        return keys != null ? keys.size() : pkB.size();
    }

    static void checkBits(int bits) {
        if (bits < 8 || bits > SecretKeyRlwe.MAX_PLAIN_BITS) {
            throw new IllegalArgumentException("the RLWE engine takes shares of 8.." + SecretKeyRlwe.MAX_PLAIN_BITS + " bits, got " + bits);
        }
    }

    /** The client's engine: draws a key per slot when the slot first appears (nothing travels until then). */
    public static HeLinearEngine client(Channel channel, int bits) {
        checkBits(bits);
        return new HeLinearEngine(channel, bits, true);
    }

    /** The server's engine: receives each slot's public key when the slot first appears. */
    public static HeLinearEngine server(Channel channel, int bits) {
        checkBits(bits);
        return new HeLinearEngine(channel, bits, false);
    }

    @Override
    public long[] server(LinearOperator m, long[] xShare, int batch) {
        Plan plan = Plan.of(ring.n(), m.shape(), m.weights());
        return server(plan, (o, j) -> weightNtt(ring, plan.weights(o, j), plan.weightStride()), xShare, batch);
    }

    /**
     * The server's side with weights prepared beforehand ({@link PreparedWeights#prepare}, once per loaded model and
     * shared by every session): the same wire and the same results as {@link #server(LinearOperator, long[], int)},
     * without encoding and transforming every weight polynomial again.
     */
    public long[] server(PreparedWeights prepared, long[] xShare, int batch) {
        if (prepared.ring() != ring.n()) {
            throw new IllegalArgumentException("weights prepared for N = " + prepared.ring() + ", this engine's ring has N = " + ring.n());
        }
        return server(prepared.plan(), prepared::weights, xShare, batch);
    }

    /**
     * A layer's weight polynomial for (output o, input j) in the evaluation domain, Montgomery form, or null where it
     * is zero. Asked once per distinct polynomial ({@link Plan#weightKey}) by each products call.
     */
    @FunctionalInterface
    interface WeightSource {
        long[][] weights(int o, int j);
    }

    /**
     * Signed weight coefficients → every limb in the evaluation domain, Montgomery form; null for none or all zero.
     * A constant polynomial (a 1x1 kernel on one channel per polynomial) transforms to itself in every slot, so it
     * skips the NTT.
     */
    static long[][] weightNtt(RnsPoly.Ring ring, long[] w) {
        return weightNtt(ring, w, 1);
    }

    /** As {@link #weightNtt(RnsPoly.Ring, long[])} for a polynomial in X^stride ({@link Plan#weightStride}). */
    static long[][] weightNtt(RnsPoly.Ring ring, long[] w, int stride) {
        if (w == null) {
            return null;
        }
        if (stride == 1) {
            boolean constant = true;
            for (int k = 1; k < w.length && constant; k++) {
                constant = w[k] == 0;
            }
            if (!constant) {
                return montgomeryNtt(ring, ring.fromSigned(w).limbs);
            }
            stride = w.length; // a constant is a polynomial in X^N
        }
        boolean zero = true;
        for (int k = 0; k < w.length && zero; k += stride) {
            zero = w[k] == 0;
        }
        if (zero) {
            return null;
        }
        // Only the multiples of the stride are touched until the fill: O(N/stride) reductions and Montgomery
        // conversions, not O(N).
        long[][] r = new long[ring.limbs()][w.length];
        for (int i = 0; i < r.length; i++) {
            Ntt t = ring.ntt[i];
            Modulus m = t.modulus();
            long[] a = r[i];
            for (int k = 0; k < a.length; k += stride) {
                a[k] = w[k] == 0 ? 0 : m.reduce(w[k]);
            }
            t.forwardStridedLeaders(a, stride);
            for (int k = 0; k < a.length; k += stride) {
                java.util.Arrays.fill(a, k, k + stride, m.toMont(a[k]));
            }
        }
        return r;
    }

    private long[] server(Plan plan, WeightSource weights, long[] xShare, int batch) {
        if (keys != null) {
            throw new IllegalStateException("this is the client's engine");
        }
        plan.shape.checkInput(xShare, batch);
        if (packBatch && mixing != null) {
            throw new IllegalStateException("slot mixing simulates a Fusion server, whose sessions never pack");
        }
        ensureSlotKeys(packBatch ? 1 : batch);
        Packing p = packing(plan, xShare, batch);
        long[] y = serverColumns(p.plan, weights, p.x, p.columns);
        return p.unpack(y, plan.shape.outputs() * batch);
    }

    /** A batch as the products see it: packed columns of several elements, or the batch itself. */
    private record Packing(Plan plan, long[] x, int columns) {
        long[] unpack(long[] y, int length) {
            return y.length == length ? y : java.util.Arrays.copyOf(y, length);
        }
    }

    /** With packing on and room for two or more elements per polynomial, the batch padded with zero columns to whole packs. */
    private Packing packing(Plan plan, long[] x, int batch) {
        int elements = packBatch ? PackedPlan.elementsFor(ring.n(), plan) : 1;
        if (elements < 2 || batch < 2) {
            return new Packing(plan, x, batch);
        }
        elements = Math.min(elements, batch);
        int columns = (batch + elements - 1) / elements;
        return new Packing(new PackedPlan(ring.n(), plan, elements), java.util.Arrays.copyOf(x, columns * elements * plan.shape.inputs()), columns);
    }

    /** The key slot of batch column b: its own, or the batch's one key when packing. */
    private int slot(int b) {
        return packBatch ? 0 : b;
    }

    private long[] serverColumns(Plan plan, WeightSource weights, long[] xShare, int batch) {
        int flood = floodBits(plan);
        int in = plan.columnInputs();
        int out = plan.columnOutputs();
        int polys = plan.inputPolys();
        SecretKeyRlwe.Ciphertext[][] cts = new SecretKeyRlwe.Ciphertext[batch][polys];
        for (int b = 0; b < batch; b++) {
            for (int j = 0; j < polys; j++) {
                cts[b][j] = codec.receiveSeeded(channel);
            }
        }
        // Adding the server's share and entering the evaluation domain: independent per ciphertext, so in parallel
        // (by column when the batch has enough of them, else by ciphertext within each column).
        long[][][][] received = new long[batch][polys][][];
        if (batch >= threads) {
            org.fusionmpc.api.concurrent.Lanes.split(threads, batch, (from, to, lane) -> {
                for (int b = from; b < to; b++) {
                    long[] laid = plan.layout(column(xShare, b, in));
                    for (int j = 0; j < polys; j++) {
                        received[b][j] = addShareAndTransform(plan, laid, j, cts[b][j]);
                        cts[b][j] = null;
                    }
                }
            });
        } else {
            for (int b = 0; b < batch; b++) {
                long[] laid = plan.layout(column(xShare, b, in));
                int column = b;
                org.fusionmpc.api.concurrent.Lanes.split(threads, polys, (from, to, lane) -> {
                    for (int j = from; j < to; j++) {
                        received[column][j] = addShareAndTransform(plan, laid, j, cts[column][j]);
                        cts[column][j] = null;
                    }
                });
            }
        }
        long[][] mix = mixing == null ? null : mixing.matrix(products, batch);
        products++;
        long[][][][] x = mix == null ? received : mix(received, mix);
        long[] y = new long[out * batch];
        // Waves of `threads` output groups (the output polynomials that share weight polynomials, e.g. the row tiles
        // of one filter): their products and the finishing of each output (re-randomising, noise, flooding, mask,
        // switch) run in parallel, each output on its own generator seeded in output order from this engine's, and
        // the results go out in output order from this thread, so the wire is the same for any thread count.
        int group = plan.outputGroup();
        int groups = plan.outputPolys() / group;
        Finished[][][] done = new Finished[threads][][];
        for (int wave = 0; wave < groups; wave += threads) {
            int first = wave;
            int count = Math.min(threads, groups - wave);
            byte[][][][] seeds = new byte[count][group][batch][];
            for (int t = 0; t < count; t++) {
                for (int g = 0; g < group; g++) {
                    for (int b = 0; b < batch; b++) {
                        seeds[t][g][b] = prg.nextSeed();
                    }
                }
            }
            org.fusionmpc.api.concurrent.Lanes.run(count, t -> {
                long[][][][] acc = products(plan, weights, x, first + t, batch);
                Finished[][] ready = new Finished[group][batch];
                for (int g = 0; g < group; g++) {
                    for (int b = 0; b < batch; b++) {
                        ready[g][b] = finish(acc[g][b], slot(b), flood, new Prg(seeds[t][g][b]));
                        acc[g][b] = null;
                    }
                }
                done[t] = ready;
            });
            for (int t = 0; t < count; t++) {
                for (int g = 0; g < group; g++) {
                    int o = (first + t) * group + g;
                    int[] at = plan.positions(o);
                    int[] dest = plan.destinations(o);
                    for (int b = 0; b < batch; b++) {
                        Finished f = done[t][g][b];
                        if (switched) {
                            codec.sendSwitched(channel, f.b, f.a, at);
                        } else {
                            codec.sendPartial(channel, new SecretKeyRlwe.Ciphertext(new RnsPoly(ring, f.bLimbs), new RnsPoly(ring, f.aLimbs)), at);
                        }
                        for (int k = 0; k < at.length; k++) {
                            y[b * out + dest[k]] = f.r[at[k]];
                        }
                    }
                }
                done[t] = null;
            }
        }
        channel.flush();
        return y;
    }

    @Override
    public long[] client(LinearShape shape, long[] xShare, int batch) {
        if (keys == null) {
            throw new IllegalStateException("this is the server's engine");
        }
        shape.checkInput(xShare, batch);
        ensureSlotKeys(packBatch ? 1 : batch);
        Packing p = packing(Plan.of(ring.n(), shape, null), xShare, batch);
        Plan plan = p.plan;
        int columns = p.columns;
        int in = plan.columnInputs();
        int out = plan.columnOutputs();
        for (int b = 0; b < columns; b++) {
            long[] laid = plan.layout(column(p.x, b, in));
            for (int j = 0; j < plan.inputPolys(); j++) {
                codec.sendSeeded(channel, keys.get(slot(b)).encryptSeeded(plan.input(laid, j)));
            }
        }
        channel.flush();
        long[] y = new long[out * columns];
        for (int o = 0; o < plan.outputPolys(); o++) {
            int[] at = plan.positions(o);
            int[] dest = plan.destinations(o);
            for (int b = 0; b < columns; b++) {
                long[] v = switched ? smallKeys.get(slot(b)).decrypt(codec.receiveSwitched(channel, small, at))
                        : keys.get(slot(b)).decrypt(codec.receivePartial(channel, at));
                for (int k = 0; k < at.length; k++) {
                    y[b * out + dest[k]] = v[k];
                }
            }
        }
        return p.unpack(y, shape.outputs() * batch);
    }

    /**
     * Σ_j x_j ⊙ Ŵ_(o,j) in the evaluation domain for every output o of output group {@code group} and every column
     * of the batch. Pairs are visited in order of their weight polynomial, so each distinct one is asked of
     * {@code weights} (transformed, when not prepared) once and reused by every tile that shares it.
     */
    private long[][][][] products(Plan plan, WeightSource weights, long[][][][] x, int group, int batch) {
        int limbs = ring.limbs();
        int size = plan.outputGroup();
        int first = group * size;
        long[][][][] acc = new long[size][batch][2 * limbs][ring.n()];
        int[][] pairs = plan.pairsOf(group);
        int lastKey = -1;
        long[][] wn = null;
        for (int[] pair : pairs) {
            int o = pair[0];
            int j = pair[1];
            if (pair[2] != lastKey) {
                wn = weights.weights(o, j);
                lastKey = pair[2];
            }
            if (wn == null) {
                continue;
            }
            for (int b = 0; b < batch; b++) {
                long[][] into = acc[o - first][b];
                for (int i = 0; i < limbs; i++) {
                    ring.ntt[i].multiplyAccumulate(x[b][j][i], wn[i], into[i]);
                    ring.ntt[i].multiplyAccumulate(x[b][j][limbs + i], wn[i], into[limbs + i]);
                }
            }
        }
        return acc;
    }

    /**
     * Flooding width for a layer: 40 bits above a bound on the noise the client could learn W from. The terms,
     * per output coefficient: e·Ŵ with e centered binomial (sub-Gaussian, σ = √(η/2) ≈ 3.24; bound
     * 10.6·σ·‖Ŵ‖₂ ≤ 34·√T_e·max|W|, failing with probability below 2^-80), ⌊m·Ŵ/t⌋ from the product's carries
     * (at most T_m·max|W|, since the centered message is below t in magnitude), and the public-key terms
     * e_pk·u + e1 + e2·s (below 2^14 with the same tail bound). Refuses a layer whose flooded noise would not
     * stay below Δ/4.
     */
    int floodBits(Plan plan) {
        double wmax = Math.max(1, plan.maxAbsWeight());
        double bound = plan.messageTerms() * wmax + 34 * Math.sqrt(plan.noiseTerms()) * wmax + (1 << 14);
        int flood = (int) Math.ceil(Math.log(bound) / Math.log(2)) + FLOOD_STAT_BITS;
        // Full modulus: flooded noise ≤ Δ/8. Switched: ≤ Δ'/4 after dividing by p_1 (≥ 2^53), plus rounding ≤ Δ'/8.
        int limit = switched ? SecretKeyRlwe.deltaBits(small, bits) - 2 + 63 - Long.numberOfLeadingZeros(ring.prime(1))
                : deltaBits() - 3;
        if (flood > limit) {
            throw new IllegalStateException("this layer's weights (max |w| = " + (long) wmax + ") need 2^" + flood
                    + " flooding noise, more than the 2^" + limit + " an RLWE product at ℓ = " + bits
                    + " bits leaves; use the OT linear engine or fewer plaintext bits");
        }
        return flood;
    }

    /** One output ciphertext ready to send: switched (b, a mod p_0) or full (every limb), and the server's share r. */
    private record Finished(long[] b, long[] a, long[][] bLimbs, long[][] aLimbs, long[] r) {
    }

    /**
     * Adds the re-randomising encryption of zero (still in NTT form), leaves the NTT, adds its small noise, the
     * flooding noise and -Δ·r, and switches down: everything but the sending, with randomness from {@code prg}
     * alone (one per output, so outputs finish on any thread).
     */
    private Finished finish(long[][] acc, int slot, int flood, Prg prg) {
        int limbs = ring.limbs();
        int n = ring.n();
        long[] u = new long[n];
        for (int k = 0; k < n; k++) {
            u[k] = prg.nextInt(3) - 1;
        }
        long[][] un = ring.fromSigned(u).limbs;
        long[] e1 = SecretKeyRlwe.noise(ring, prg);
        long[] e2 = SecretKeyRlwe.noise(ring, prg);
        long[] r = new long[n];
        prg.nextLongs(r);
        long mask = (1L << bits) - 1;
        for (int k = 0; k < n; k++) {
            r[k] &= mask;
        }
        long[] rc = SecretKeyRlwe.centered(r, bits);
        int hiBits = flood - 31; // the flooding value is hi·2^31 + lo, uniform in [-2^flood, 2^flood)
        long[] hi = new long[n];
        long[] lo = new long[n];
        for (int k = 0; k < n; k++) {
            long v = prg.nextLong();
            lo[k] = v & 0x7fffffffL;
            hi[k] = hiBits >= 63 ? prg.nextLong() : prg.nextLong() >> (63 - hiBits);
        }
        long[][] b = new long[limbs][];
        long[][] a = new long[limbs][];
        for (int i = 0; i < limbs; i++) {
            Ntt t = ring.ntt[i];
            Modulus mod = t.modulus();
            t.forward(un[i]);
            t.multiplyAccumulate(un[i], pkB.get(slot)[i], acc[i]);
            t.multiplyAccumulate(un[i], pkA.get(slot)[i], acc[limbs + i]);
            b[i] = acc[i];
            a[i] = acc[limbs + i];
            t.inverse(b[i]);
            t.inverse(a[i]);
            long p = mod.value();
            long twoTo31 = mod.reduce(1L << 31);
            for (int k = 0; k < n; k++) {
                long f = mod.add(mod.mul(mod.reduce(hi[k]), twoTo31), lo[k]);
                // |rc| < 2^40 and |e| ≤ 21 are below p: one conditional add centres them, no division.
                long masked = mod.mul(rc[k] < 0 ? rc[k] + p : rc[k], delta[i]);
                b[i][k] = mod.sub(mod.add(mod.add(b[i][k], e1[k] < 0 ? e1[k] + p : e1[k]), f), masked);
                a[i][k] = mod.add(a[i][k], e2[k] < 0 ? e2[k] + p : e2[k]);
            }
        }
        if (switched) {
            return new Finished(switchDown(b[0], b[1]), switchDown(a[0], a[1]), null, null, r);
        }
        return new Finished(null, null, b, a, r);
    }

    /**
     * round(x/p_1) mod p_0 for x given by its residues mod p_0 and p_1: modulus switching from q = p_0·p_1 to
     * p_0. With c the centered residue of x mod p_1, (x - c)/p_1 is that rounding, and mod p_0 it is
     * (x_0 - c)·p_1^-1.
     */
    private long[] switchDown(long[] x0, long[] x1) {
        Modulus m0 = ring.ntt[0].modulus();
        long p1 = ring.prime(1);
        long[] out = new long[x0.length];
        for (int k = 0; k < out.length; k++) {
            long c = x1[k] > p1Half ? x1[k] - p1 : x1[k];
            out[k] = m0.mul(m0.sub(x0[k], m0.reduce(c)), p1InvModP0);
        }
        return out;
    }

    /** x'_b = Σ_b' M[b][b']·x_b' limb by limb in the evaluation domain (linear, so the same as on coefficients). */
    private long[][][][] mix(long[][][][] x, long[][] m) {
        int batch = x.length;
        long[][][][] out = new long[batch][x[0].length][][];
        for (int b = 0; b < batch; b++) {
            for (int j = 0; j < x[b].length; j++) {
                long[][] sum = new long[x[b][j].length][ring.n()];
                for (int from = 0; from < batch; from++) {
                    if (m[b][from] == 0) {
                        continue;
                    }
                    for (int row = 0; row < sum.length; row++) {
                        Modulus mod = ring.ntt[row % ring.limbs()].modulus();
                        long c = mod.reduce(m[b][from]);
                        for (int k = 0; k < sum[row].length; k++) {
                            sum[row][k] = mod.add(sum[row][k], mod.mul(c, x[from][j][row][k]));
                        }
                    }
                }
                out[b][j] = sum;
            }
        }
        return out;
    }

    private static long[] column(long[] x, int b, int n) {
        long[] c = new long[n];
        System.arraycopy(x, b * n, c, 0, n);
        return c;
    }

    /** The client's ciphertext of input polynomial j plus Δ·(the server's share of it), in the evaluation domain. */
    private long[][] addShareAndTransform(Plan plan, long[] laid, int j, SecretKeyRlwe.Ciphertext c) {
        RnsPoly own = ring.fromSigned(SecretKeyRlwe.centered(plan.input(laid, j), bits)).scale(delta);
        return ntt(c.b().plus(own).limbs, c.a().limbs);
    }

    /** Copies of b's and a's limbs in the evaluation domain: rows 0..L-1 are b, L..2L-1 are a. */
    private long[][] ntt(long[][] b, long[][] a) {
        int limbs = ring.limbs();
        long[][] r = new long[2 * limbs][];
        for (int i = 0; i < limbs; i++) {
            r[i] = b[i].clone();
            r[limbs + i] = a[i].clone();
            ring.ntt[i].forward(r[i]);
            ring.ntt[i].forward(r[limbs + i]);
        }
        return r;
    }

    /** The limbs in the evaluation domain and in Montgomery form, as multiplyAdd's second operand. */
    static long[][] montgomeryNtt(RnsPoly.Ring ring, long[][] limbs) {
        long[][] r = new long[limbs.length][];
        for (int i = 0; i < limbs.length; i++) {
            Ntt t = ring.ntt[i];
            r[i] = limbs[i].clone();
            t.forward(r[i]);
            for (int k = 0; k < r[i].length; k++) {
                r[i][k] = t.modulus().toMont(r[i][k]);
            }
        }
        return r;
    }

    /**
     * How a layer maps onto polynomials: input polynomials per column, output polynomials, the weight polynomial
     * of each (output, input) pair (null where it is zero), and which coefficients of an output polynomial are
     * which outputs. Built from the public shape alone on the client (no weights).
     */
    abstract static class Plan {

        static Plan of(int n, LinearShape shape, long[] weights) {
            Plan plan = switch (shape.kind()) {
                case DENSE -> new DensePlan(n, shape.geometry(), weights);
                case CONV2D -> shape.geometry()[6] > 1 ? new PhasedConvPlan(n, shape.geometry(), weights) : stride1(n, shape.geometry(), weights);
                default -> throw new UnsupportedOperationException("the RLWE engine does " + LinearShape.Kind.DENSE + " and "
                        + LinearShape.Kind.CONV2D + " layers, not " + shape.kind());
            };
            plan.shape = shape;
            return plan;
        }

        /** A stride-1 convolution: a 1x1 kernel without padding or groups is a matrix product over pixels ({@link PointwiseConvPlan}). */
        static Plan stride1(int n, int[] g, long[] weights) {
            return g[4] == 1 && g[5] == 1 && g[7] == 0 && g[10] == 1 ? new PointwiseConvPlan(n, g, weights) : new ConvPlan(n, g, weights);
        }

        final long[] weights;
        LinearShape shape;

        /**
         * The weight polynomials are polynomials in X^stride (zero except at multiples of it), so their transform is
         * {@link Ntt#forwardStrided}: about as cheap as one pointwise product once the stride is large. 1 for dense
         * weight polynomials.
         */
        int weightStride() {
            return 1;
        }

        Plan(long[] weights) {
            this.weights = weights;
        }

        /** Whether output polynomial o can draw on input polynomial j at all (from the shape; the weights may still be zero). */
        abstract boolean couples(int o, int j);

        /**
         * An index of pair (o, j)'s weight polynomial among the layer's distinct ones, in [0, {@link #weightKeys()}):
         * pairs with the same key have the same polynomial (a filter's kernel on a channel block is the same in every
         * row tile).
         */
        abstract int weightKey(int o, int j);

        abstract int weightKeys();

        /** Whether every weight polynomial is a constant (a 1x1 kernel on one channel per polynomial): nothing to prepare. */
        boolean constantWeights() {
            return false;
        }

        /** How many consecutive output polynomials share weight polynomials (a filter's row tiles); divides outputPolys. */
        int outputGroup() {
            return 1;
        }

        /** Output group g's coupled pairs as {o, j, weightKey}, sorted by key so equal polynomials come together. */
        int[][] pairsOf(int g) {
            java.util.List<int[]> pairs = new java.util.ArrayList<>();
            for (int o = g * outputGroup(); o < (g + 1) * outputGroup(); o++) {
                for (int j = 0; j < inputPolys(); j++) {
                    if (couples(o, j)) {
                        pairs.add(new int[] {o, j, weightKey(o, j)});
                    }
                }
            }
            pairs.sort(java.util.Comparator.<int[]>comparingInt(p -> p[2]).thenComparingInt(p -> p[0]));
            return pairs.toArray(new int[0][]);
        }

        abstract int inputPolys();

        abstract int outputPolys();

        /**
         * Where a second batch element may start in an input polynomial (the span D of one element's products, with
         * their outputs), for batch packing: elements at offsets 0, D, 2D, ... never meet on an output coefficient as
         * long as (elements)·D ≤ N (see {@link PackedPlan}).
         */
        abstract int elementStride();

        /** Values of one column of the batch as this plan takes it (a packed plan's columns hold several elements). */
        int columnInputs() {
            return shape.inputs();
        }

        int columnOutputs() {
            return shape.outputs();
        }

        /** A column of the layer's input rearranged as {@link #input} reads it (a strided convolution's phases); pure. */
        long[] layout(long[] column) {
            return column;
        }

        /** Input polynomial j of a column laid out by {@link #layout}; pure, so any thread may call it. */
        abstract long[] input(long[] laid, int j);

        abstract long[] weights(int o, int j);

        abstract int[] positions(int o);

        abstract int[] destinations(int o);

        /** A bound on the weights summed into one output coefficient's e·Ŵ term. */
        abstract long noiseTerms();

        /** A bound on the message coefficients summed into one output coefficient. */
        abstract long messageTerms();

        long maxAbsWeight() {
            long m = 0;
            for (long w : weights) {
                m = Math.max(m, Math.abs(w));
            }
            return m;
        }
    }

    static final class DensePlan extends Plan {
        private final CheetahMatVec enc;
        private final int rows;
        private final int cols;

        DensePlan(int n, int[] g, long[] weights) {
            super(weights);
            this.rows = g[0];
            this.cols = g[1];
            this.enc = new CheetahMatVec(n, rows, cols);
        }

        @Override
        int inputPolys() {
            return enc.columnBlocks();
        }

        @Override
        int outputPolys() {
            return enc.rowBlocks();
        }

        @Override
        long[] input(long[] column, int j) {
            return enc.encodeInput(column, j);
        }

        @Override
        long[] weights(int o, int j) {
            return enc.encodeWeights(weights, o, j);
        }

        @Override
        boolean couples(int o, int j) {
            return true;
        }

        @Override
        int weightKey(int o, int j) {
            return o * inputPolys() + j;
        }

        @Override
        int elementStride() {
            return enc.rowBlockSize() * enc.columnBlockSize();
        }

        @Override
        int weightKeys() {
            return outputPolys() * inputPolys();
        }

        @Override
        int[] positions(int o) {
            int[] at = new int[enc.rowsIn(o)];
            for (int i = 0; i < at.length; i++) {
                at[i] = enc.outputCoefficient(i);
            }
            return at;
        }

        @Override
        int[] destinations(int o) {
            int[] d = new int[enc.rowsIn(o)];
            for (int i = 0; i < d.length; i++) {
                d[i] = o * enc.rowBlockSize() + i;
            }
            return d;
        }

        @Override
        long noiseTerms() {
            return (long) enc.rowBlockSize() * enc.columnBlockSize() * enc.columnBlocks();
        }

        @Override
        long messageTerms() {
            return cols;
        }
    }

    /**
     * A convolution as polynomials. The padded input (hp × wp per channel) is cut into horizontal tiles of
     * {@code th} rows overlapping by kh - 1, as many as one polynomial holds (th·wp ≤ N); each tile is an
     * independent stride-1 convolution giving th - kh + 1 output rows, so the tiles' outputs are disjoint
     * and cover the stride-1 output. Within a tile, channels are blocked as {@link CheetahConv} does. Input
     * polynomial j is (tile j / blocks, channel block j % blocks); output polynomial o is (filter o / tiles,
     * tile o % tiles), and only same-tile pairs have a kernel.
     */
    static final class ConvPlan extends Plan {
        private final int c;
        private final int h;
        private final int w;
        private final int filters;
        private final int kh;
        private final int kw;
        private final int stride;
        private final int pad;
        private final int oh;
        private final int ow;
        private final int groups;
        private final int hp;
        private final int wp;
        private final int tileRows;
        private final int tileOut;
        private final int tiles;
        private final CheetahConv enc;
        private final long[] full;

        ConvPlan(int n, int[] g, long[] weights) {
            super(weights);
            c = g[0];
            h = g[1];
            w = g[2];
            filters = g[3];
            kh = g[4];
            kw = g[5];
            stride = g[6];
            pad = g[7];
            oh = g[8];
            ow = g[9];
            groups = g[10];
            hp = h + 2 * pad;
            wp = w + 2 * pad;
            if ((long) kh * wp > n) {
                throw new UnsupportedOperationException("rows of " + wp + " values (padding included) with a " + kh + "-row kernel do not fit"
                        + " one polynomial of N = " + n + " (tiling splits rows, not columns); use the OT linear engine for this layer");
            }
            tileRows = Math.min(hp, n / wp);
            tileOut = tileRows - kh + 1;
            tiles = (hp - kh + tileOut) / tileOut; // ⌈(hp - kh + 1) / tileOut⌉ stride-1 output rows in all
            enc = new CheetahConv(n, c, tileRows, wp, filters, kh, kw);
            full = weights == null ? null : expand(weights);
        }

        /** Grouped weights o×(c/groups)×kh×kw as a full o×c×kh×kw kernel with zeros between groups. */
        private long[] expand(long[] grouped) {
            if (groups == 1) {
                return grouped;
            }
            int cg = c / groups;
            int perGroup = filters / groups;
            int kk = kh * kw;
            long[] f = new long[filters * c * kk];
            for (int m = 0; m < filters; m++) {
                int first = m / perGroup * cg;
                for (int ci = 0; ci < cg; ci++) {
                    System.arraycopy(grouped, (m * cg + ci) * kk, f, (m * c + first + ci) * kk, kk);
                }
            }
            return f;
        }

        int tiles() {
            return tiles;
        }

        @Override
        int inputPolys() {
            return tiles * enc.channelBlocks();
        }

        @Override
        int outputPolys() {
            return filters * tiles;
        }

        @Override
        long[] input(long[] column, int j) {
            int tile = j / enc.channelBlocks();
            int first = tile * tileOut; // padded row where this tile starts
            long[] part = new long[c * tileRows * wp];
            for (int ci = 0; ci < c; ci++) {
                for (int r = 0; r < tileRows; r++) {
                    int y = first + r - pad; // unpadded input row
                    if (y >= 0 && y < h) {
                        System.arraycopy(column, (ci * h + y) * w, part, (ci * tileRows + r) * wp + pad, w);
                    }
                }
            }
            return enc.encodeInput(part, j % enc.channelBlocks());
        }

        @Override
        long[] weights(int o, int j) {
            return couples(o, j) ? enc.encodeKernel(full, o / tiles, j % enc.channelBlocks()) : null;
        }

        @Override
        int weightKey(int o, int j) {
            return o / tiles * enc.channelBlocks() + j % enc.channelBlocks();
        }

        @Override
        int elementStride() {
            return enc.channelsPerBlock() * tileRows * wp;
        }

        @Override
        int weightKeys() {
            return filters * enc.channelBlocks();
        }

        @Override
        int outputGroup() {
            return tiles;
        }

        @Override
        boolean constantWeights() {
            return kh == 1 && kw == 1 && enc.channelsPerBlock() == 1;
        }

        @Override
        boolean couples(int o, int j) {
            if (o % tiles != j / enc.channelBlocks()) {
                return false; // a filter's output in one tile needs only that tile's input
            }
            int block = j % enc.channelBlocks();
            int cg = c / groups;
            int first = o / tiles / (filters / groups) * cg;
            int cb = enc.channelsPerBlock();
            return first + cg > block * cb && first < (block + 1) * cb; // some channel of this filter's group in this block
        }

        /** Stride-1 output rows of tile {@code tile} that are outputs of the strided convolution: {row in tile, output row}. */
        private int[][] rows(int tile) {
            java.util.List<int[]> r = new java.util.ArrayList<>();
            for (int i = 0; i < tileOut; i++) {
                int row = tile * tileOut + i;
                if (row % stride == 0 && row / stride < oh) {
                    r.add(new int[] {i, row / stride});
                }
            }
            return r.toArray(new int[0][]);
        }

        @Override
        int[] positions(int o) {
            int[][] rows = rows(o % tiles);
            int[] at = new int[rows.length * ow];
            for (int i = 0; i < rows.length; i++) {
                for (int j = 0; j < ow; j++) {
                    at[i * ow + j] = enc.outputCoefficient(rows[i][0], j * stride);
                }
            }
            return at;
        }

        @Override
        int[] destinations(int o) {
            int filter = o / tiles;
            int[][] rows = rows(o % tiles);
            int[] d = new int[rows.length * ow];
            for (int i = 0; i < rows.length; i++) {
                for (int j = 0; j < ow; j++) {
                    d[i * ow + j] = (filter * oh + rows[i][1]) * ow + j;
                }
            }
            return d;
        }

        @Override
        long noiseTerms() {
            return (long) (c / groups) * kh * kw;
        }

        @Override
        long messageTerms() {
            return (long) (c / groups) * kh * kw;
        }
    }

    /** A plan that is another one seen differently (packed, or over phases): what it does not change, it forwards. */
    abstract static class DelegatingPlan extends Plan {
        final Plan inner;

        DelegatingPlan(Plan inner, long[] weights) {
            super(weights);
            this.inner = inner;
        }

        @Override
        int inputPolys() {
            return inner.inputPolys();
        }

        @Override
        int outputPolys() {
            return inner.outputPolys();
        }

        @Override
        long[] input(long[] laid, int j) {
            return inner.input(laid, j);
        }

        @Override
        long[] weights(int o, int j) {
            return inner.weights(o, j);
        }

        @Override
        boolean couples(int o, int j) {
            return inner.couples(o, j);
        }

        @Override
        int weightKey(int o, int j) {
            return inner.weightKey(o, j);
        }

        @Override
        int weightKeys() {
            return inner.weightKeys();
        }

        @Override
        int outputGroup() {
            return inner.outputGroup();
        }

        @Override
        boolean constantWeights() {
            return inner.constantWeights();
        }

        @Override
        int weightStride() {
            return inner.weightStride();
        }

        @Override
        int elementStride() {
            return inner.elementStride();
        }

        @Override
        int[] positions(int o) {
            return inner.positions(o);
        }

        @Override
        int[] destinations(int o) {
            return inner.destinations(o);
        }

        @Override
        long noiseTerms() {
            return inner.noiseTerms();
        }

        @Override
        long messageTerms() {
            return inner.messageTerms();
        }
    }

    /**
     * Batch packing (semi-honest sessions only): B = N / D elements of the batch share each input polynomial,
     * element e shifted by e·D ({@link Plan#elementStride}), so a batch sends about B times fewer ciphertexts
     * where one element's layer leaves most of a polynomial empty (MNIST- and CIFAR-sized layers). Every product
     * term of element e lies within [e·D, e·D + D + (span of one element's inputs)), and one element's outputs are
     * the coefficients where only its own terms land: a term of element e on an output of element e' would need
     * an input index and a weight index that differ by a multiple of D, which no plan's layout has within one
     * element; with B·D ≤ N the terms that reach N wrap around to below the first output. All elements share one
     * key: the server could combine them, which a semi-honest server does not and a Fusion server must not be
     * able to, so Fusion never packs (its slots keep their own keys). A packed column is B elements' columns one
     * after the other; the engine pads the batch to a multiple of B with zero columns and drops their outputs.
     */
    static final class PackedPlan extends DelegatingPlan {
        final int elements;
        private final int d;
        private final int in;
        private final int out;
        private final int n;

        PackedPlan(int n, Plan inner, int elements) {
            super(inner, inner.weights);
            this.n = n;
            this.elements = elements;
            this.d = inner.elementStride();
            this.in = inner.columnInputs();
            this.out = inner.columnOutputs();
            this.shape = inner.shape;
        }

        /** Elements per polynomial for {@code plan} in a ring of N: 1 where a second one does not fit. */
        static int elementsFor(int n, Plan plan) {
            return Math.max(1, n / plan.elementStride());
        }

        @Override
        int columnInputs() {
            return elements * in;
        }

        @Override
        int columnOutputs() {
            return elements * out;
        }

        @Override
        long[] layout(long[] column) {
            long[][] parts = new long[elements][];
            int total = 0;
            for (int e = 0; e < elements; e++) {
                parts[e] = inner.layout(java.util.Arrays.copyOfRange(column, e * in, (e + 1) * in));
                total += parts[e].length;
            }
            long[] laid = new long[total];
            for (int e = 0, at = 0; e < elements; at += parts[e].length, e++) {
                System.arraycopy(parts[e], 0, laid, at, parts[e].length);
            }
            return laid;
        }

        @Override
        long[] input(long[] laid, int j) {
            int each = laid.length / elements;
            long[] poly = new long[n];
            for (int e = 0; e < elements; e++) {
                long[] one = inner.input(java.util.Arrays.copyOfRange(laid, e * each, (e + 1) * each), j);
                for (int k = 0; k + e * d < n; k++) {
                    if (one[k] != 0) {
                        poly[k + e * d] = one[k];
                    }
                }
            }
            return poly;
        }

        @Override
        int[] positions(int o) {
            int[] one = inner.positions(o);
            int[] at = new int[one.length * elements];
            for (int e = 0; e < elements; e++) {
                for (int k = 0; k < one.length; k++) {
                    at[e * one.length + k] = one[k] + e * d;
                }
            }
            return at;
        }

        @Override
        int[] destinations(int o) {
            int[] one = inner.destinations(o);
            int[] dest = new int[one.length * elements];
            for (int e = 0; e < elements; e++) {
                for (int k = 0; k < one.length; k++) {
                    dest[e * one.length + k] = one[k] + e * out;
                }
            }
            return dest;
        }

        @Override
        int elementStride() {
            return n;
        }
    }

    /**
     * A 1x1 convolution (stride 1, no padding, no groups) as a matrix product over pixels: with P = H·W pixels and a
     * channel stride S, the power of two at or above P (N when P is larger, cutting the pixels into tiles of N),
     * C_b = N/S channels share an input polynomial x̂ = Σ x[c][p] X^(c·S + p), filter m's weights on that block are
     * ŵ = Σ W[m][c] X^((C_b - 1 - c)·S), and coefficient (C_b - 1)·S + p of x̂·ŵ is Σ_c W[m][c]·x[c][p]. A
     * product term of two different channels lands a multiple of S away, outside [(C_b - 1)·S, (C_b - 1)·S + S);
     * with C_b·S ≤ N the terms that reach N wrap around to below (C_b - 1)·S. Cheetah packs H·W per channel instead
     * of S; the power-of-two stride costs a few more input polynomials where P is not one (14x14: 16 channels a
     * polynomial instead of 20) and makes ŵ a polynomial in X^S, whose NTT is an NTT of C_b points and a fill
     * ({@link Ntt#forwardStrided}) instead of a full one for every (filter, block) pair in every session.
     */
    static final class PointwiseConvPlan extends Plan {
        private final int c;
        private final int w;
        private final int filters;
        private final int oh;
        private final int ow;
        private final int pixels;
        private final int stride;
        private final int perTile;
        private final int tiles;
        private final int cb;
        private final int blocks;
        private final int ringN;

        PointwiseConvPlan(int n, int[] g, long[] weights) {
            super(weights);
            ringN = n;
            c = g[0];
            w = g[2];
            filters = g[3];
            oh = g[8];
            ow = g[9];
            pixels = g[1] * g[2];
            if (pixels <= n) {
                stride = pixels == 1 ? 1 : Integer.highestOneBit(pixels - 1) << 1;
                perTile = pixels;
                tiles = 1;
            } else {
                stride = n;
                perTile = n;
                tiles = (pixels + n - 1) / n;
            }
            cb = Math.min(c, n / stride);
            blocks = (c + cb - 1) / cb;
        }

        @Override
        int inputPolys() {
            return tiles * blocks;
        }

        @Override
        int outputPolys() {
            return filters * tiles;
        }

        @Override
        long[] input(long[] column, int j) {
            int tile = j / blocks;
            int block = j % blocks;
            int first = tile * perTile;
            int count = Math.min(perTile, pixels - first);
            long[] poly = new long[ringN];
            for (int ci = 0; ci < cb && block * cb + ci < c; ci++) {
                System.arraycopy(column, (block * cb + ci) * pixels + first, poly, ci * stride, count);
            }
            return poly;
        }

        @Override
        long[] weights(int o, int j) {
            if (!couples(o, j)) {
                return null;
            }
            int filter = o / tiles;
            int block = j % blocks;
            long[] poly = new long[ringN];
            for (int ci = 0; ci < cb && block * cb + ci < c; ci++) {
                poly[(cb - 1 - ci) * stride] = weights[filter * c + block * cb + ci];
            }
            return poly;
        }

        @Override
        boolean couples(int o, int j) {
            return o % tiles == j / blocks;
        }

        @Override
        int weightKey(int o, int j) {
            return o / tiles * blocks + j % blocks;
        }

        @Override
        int elementStride() {
            return cb * stride;
        }

        @Override
        int weightKeys() {
            return filters * blocks;
        }

        @Override
        int outputGroup() {
            return tiles;
        }

        @Override
        int weightStride() {
            return stride;
        }

        @Override
        boolean constantWeights() {
            return cb == 1;
        }

        /** Pixels of tile {@code tile} that are outputs: {pixel in tile, output index within a filter}. */
        private int[][] outputs(int tile) {
            java.util.List<int[]> r = new java.util.ArrayList<>();
            int first = tile * perTile;
            for (int p = 0; p < perTile && first + p < pixels; p++) {
                int i = (first + p) / w;
                int j = (first + p) % w;
                if (i < oh && j < ow) {
                    r.add(new int[] {p, i * ow + j});
                }
            }
            return r.toArray(new int[0][]);
        }

        @Override
        int[] positions(int o) {
            int[][] out = outputs(o % tiles);
            int[] at = new int[out.length];
            for (int k = 0; k < at.length; k++) {
                at[k] = (cb - 1) * stride + out[k][0];
            }
            return at;
        }

        @Override
        int[] destinations(int o) {
            int[][] out = outputs(o % tiles);
            int[] d = new int[out.length];
            for (int k = 0; k < d.length; k++) {
                d[k] = o / tiles * oh * ow + out[k][1];
            }
            return d;
        }

        @Override
        long noiseTerms() {
            return c;
        }

        @Override
        long messageTerms() {
            return c;
        }
    }

    /**
     * A strided convolution as a stride-1 one, by Cheetah's polyphase split: with stride s, phase (a, b) of the
     * padded input is x[s·i + a][s·j + b] and phase (a, b) of the kernel W[s·u + a][s·v + b], and the strided
     * output is the sum over phases of their stride-1 convolutions, i.e. one stride-1 convolution over s² times
     * the channels with ⌈k/s⌉-wide kernels. Rearranging the input is local to each party, and the products then
     * compute only the outputs that exist instead of s² times as many to be subsampled. Phases no kernel tap
     * reaches (a ≥ kh or b ≥ kw, e.g. three of the four of a 1x1 convolution at stride 2) are left out, inputs and
     * products alike.
     */
    static final class PhasedConvPlan extends DelegatingPlan {
        private final int c;
        private final int h;
        private final int w;
        private final int pad;
        private final int s;
        private final int hq;
        private final int wq;
        private final int pa;
        private final int pb;

        PhasedConvPlan(int n, int[] g, long[] weights) {
            super(stride1Inner(n, g, weights), weights);
            c = g[0];
            h = g[1];
            w = g[2];
            s = g[6];
            pad = g[7];
            hq = (h + 2 * pad + s - 1) / s;
            wq = (w + 2 * pad + s - 1) / s;
            pa = Math.min(s, g[4]);
            pb = Math.min(s, g[5]);
        }

        /**
         * The stride-1 convolution over the phases: only phases the kernel reaches (with a kernel narrower than the
         * stride, a 1x1 at stride 2, the others would be inputs no output reads, encrypted and sent for nothing),
         * kernels ⌈k/s⌉ wide, the weights rearranged to match (null stays null).
         */
        private static Plan stride1Inner(int n, int[] g, long[] weights) {
            int c = g[0];
            int filters = g[3];
            int kh = g[4];
            int kw = g[5];
            int s = g[6];
            int pad = g[7];
            int groups = g[10];
            int hq = (g[1] + 2 * pad + s - 1) / s;
            int wq = (g[2] + 2 * pad + s - 1) / s;
            int khq = (kh + s - 1) / s;
            int kwq = (kw + s - 1) / s;
            int cg = c / groups;
            int pb = Math.min(s, kw);
            int live = Math.min(s, kh) * pb;
            long[] phased = null;
            if (weights != null) {
                phased = new long[filters * cg * live * khq * kwq];
                for (int oc = 0; oc < filters; oc++) {
                    for (int ci = 0; ci < cg; ci++) {
                        for (int u = 0; u < kh; u++) {
                            for (int v = 0; v < kw; v++) {
                                int channel = oc * cg * live + ci * live + (u % s) * pb + v % s;
                                phased[(channel * khq + u / s) * kwq + v / s] = weights[((oc * cg + ci) * kh + u) * kw + v];
                            }
                        }
                    }
                }
            }
            return stride1(n, new int[] {c * live, hq, wq, filters, khq, kwq, 1, 0, g[8], g[9], groups}, phased);
        }

        /**
         * The padded input split into the phases the kernel reaches, channel ci's phase (a, b) as channel
         * ci·pa·pb + a·pb + b (a &lt; pa, b &lt; pb).
         */
        @Override
        long[] layout(long[] column) {
            int live = pa * pb;
            long[] x = new long[c * live * hq * wq];
            for (int ci = 0; ci < c; ci++) {
                for (int y = 0; y < h; y++) {
                    int py = y + pad;
                    if (py % s >= pa) {
                        continue;
                    }
                    for (int xx = 0; xx < w; xx++) {
                        int px = xx + pad;
                        if (px % s >= pb) {
                            continue;
                        }
                        int channel = ci * live + (py % s) * pb + px % s;
                        x[(channel * hq + py / s) * wq + px / s] = column[(ci * h + y) * w + xx];
                    }
                }
            }
            return x;
        }
    }

    /**
     * Heap the server's side of one product takes per slot of the batch, for memory admission: each input ciphertext in
     * the evaluation domain (b and a, every limb) while the products run, and one accumulator per thread; plus the
     * slot's public key, held for the whole session.
     */
    public static long serverBytesPerSlot(LinearShape shape, int threads) {
        RnsPoly.Ring ring = SecretKeyRlwe.standard();
        Plan plan = Plan.of(ring.n(), shape, null);
        long polynomial = 2L * ring.limbs() * ring.n() * Long.BYTES;
        return (plan.inputPolys() + (long) Math.min(threads, plan.outputPolys() / plan.outputGroup()) * plan.outputGroup() + 1) * polynomial;
    }

    /** log2(Δ) for this engine's ℓ; for tests and reports. */
    int deltaBits() {
        return SecretKeyRlwe.deltaBits(ring, bits);
    }
}
