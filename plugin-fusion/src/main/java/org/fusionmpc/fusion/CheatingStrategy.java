package org.fusionmpc.fusion;

import java.util.Locale;
import java.util.Random;
import org.fusionmpc.semihonest.InferenceServer;
import org.fusionmpc.semihonest.Network;
import org.fusionmpc.semihonest.ServerDeviation;

/**
 * The catalogue of cheating servers (DESIGN section 6), as server-side strategies for tests and demos
 * ({@code --simulate-cheating NAME[:k]}). Model strategies replace the weights; protocol strategies change
 * the server's own share during the computation (which shifts the shared value by the same amount), at the
 * logits or after the first ReLU, for k slots or all of them. The server cannot tell slots apart, so its
 * k slots are a uniformly random subset, drawn afresh every session.
 */
public enum CheatingStrategy {
    /** Serve a worse model than claimed: Gaussian noise of each layer's RMS added to every weight (MNIST models fall to 60-70%). */
    LOWER_ACCURACY("lower-accuracy"),
    /** Serve random weights (Gaussian with each layer's RMS). */
    RANDOM_WEIGHTS("random-weights"),
    /** Serve all-zero weights (every answer is class 0). */
    ZEROED_WEIGHTS("zeroed-weights"),
    /** Force a uniformly random class on k random slots (+1000 on its logit). */
    CORRUPT_OUTPUTS("corrupt-outputs"),
    /** Add +8 to every activation after the first ReLU of k random slots. */
    CORRUPT_RELU("corrupt-relu"),
    /** Add +20 to the logit of class 0 on every slot (MNIST MLP accuracy falls to about 16%). */
    CONSTANT_ERROR("constant-error"),
    /** Answer class 7 on every slot (+1000 on its logit). */
    ONE_CLASS("one-class"),
    /**
     * Compute across slots: every slot's first linear layer runs on its own input plus another slot's (a random
     * pairing, drawn afresh every session), what any server must do to make an answer depend on other slots' inputs,
     * e.g. to count identical inputs and so find the replicas. Needs the RLWE engine (the OT engine has no
     * ciphertexts to mix); under slot isolation every mixed slot decrypts to noise.
     */
    CROSS_SLOT("cross-slot"),
    /**
     * Serve the {@link #LOWER_ACCURACY} model and claim only {@value #LOW_CLAIMED_ACCURACY}, so that the accuracy check
     * itself passes; only the client's floor on the claim ({@code --min-accuracy}) stops it.
     */
    LOW_CLAIM("low-claim"),
    /**
     * Serve a model that recognises the 500 bundled MNIST test images (the default public check set, which any
     * server can know) and answers them honestly, but forces class 7 on every other input ({@link MemorisingModel};
     * MLPs with two hidden layers). It passes an accuracy check on that set; only check samples the server does not
     * know catch it.
     */
    MEMORISE_PUBLIC("memorise-public"),
    /**
     * Input-dependent corruption: the model's last layer answers class {@value #SWAP_B} whenever class {@value #SWAP_A}
     * would win and the other way round (their output rows swapped). Replicas stay consistent; only public samples
     * of those two classes (about a fifth of MNIST) show it.
     */
    INPUT_ADAPTIVE("input-adaptive"),
    /**
     * A server that guesses the client's layout: it redraws the layout the client's code would draw from a random
     * source that is broken (a constant seed of zeros; see {@link #layoutAware}) and forces another class on exactly the
     * replicas of query 0 there. Against a client whose layout comes from SecureRandom the guess is blind and the
     * corruption shows; against a broken one it escapes, which is what the test of the layout's randomness relies on.
     */
    LAYOUT_AWARE("layout-aware");

    static final double FORCE = 1000;
    static final double RELU_SHIFT = 8;
    static final double CONSTANT = 20;
    static final int ONE = 7;
    static final double LOW_CLAIMED_ACCURACY = 0.55;
    static final int SWAP_A = 7;
    static final int SWAP_B = 1;
    /** The seed a broken client would draw its layout from, which a layout-aware server guesses. */
    static final byte[] GUESSED_SEED = new byte[16];

    private final String label;

    CheatingStrategy(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    /** Parses {@code name} or {@code name:k} (k slots for the per-slot strategies, default 1). */
    public static Parsed parse(String spec) {
        String[] parts = spec.strip().toLowerCase(Locale.ROOT).split(":", 2);
        for (CheatingStrategy s : values()) {
            if (s.label.equals(parts[0])) {
                int k = 1;
                if (parts.length == 2) {
                    try {
                        k = Integer.parseInt(parts[1]);
                    } catch (NumberFormatException e) {
                        k = -1;
                    }
                    if (k < 1 || !s.perSlot()) {
                        throw new IllegalArgumentException("'" + spec + "': only corrupt-outputs and corrupt-relu take a positive :k");
                    }
                }
                return new Parsed(s, k);
            }
        }
        StringBuilder known = new StringBuilder();
        for (CheatingStrategy s : values()) {
            known.append(known.length() == 0 ? "" : ", ").append(s.label);
        }
        throw new IllegalArgumentException("unknown cheating strategy '" + spec + "'; known: " + known + " (per-slot ones take :k)");
    }

    public boolean perSlot() {
        return this == CORRUPT_OUTPUTS || this == CORRUPT_RELU;
    }

    /** A strategy with its k. */
    public record Parsed(CheatingStrategy strategy, int k) {

        /** The cheating server built from an honest one. */
        public FusionServer apply(FusionServer honest, Random random) {
            InferenceServer b = honest.backend();
            return switch (strategy) {
                case LOWER_ACCURACY, RANDOM_WEIGHTS, ZEROED_WEIGHTS, MEMORISE_PUBLIC, INPUT_ADAPTIVE ->
                        honest.withBackend(b.withNetwork(model(b.network(), random)));
                case LAYOUT_AWARE -> honest.withBackend(b.withDeviation(layoutAware(TARGET_GUESSES, honest.claimedAccuracy(),
                        org.fusionmpc.semihonest.Mnist.testSubset().size(), GUESSED_SEED)));
                case LOW_CLAIM -> honest.withBackend(b.withNetwork(model(b.network(), random))).withClaim(LOW_CLAIMED_ACCURACY);
                default -> honest.withBackend(b.withDeviation(deviation(random)));
            };
        }

        /** The model a model strategy serves (others: unchanged). */
        public Network model(Network honest, Random random) {
            return switch (strategy) {
                case LOWER_ACCURACY, LOW_CLAIM -> honest.mapWeights((i, w) -> noisy(w, 1.0, random, true));
                case RANDOM_WEIGHTS -> honest.mapWeights((i, w) -> noisy(w, 1.0, random, false));
                case ZEROED_WEIGHTS -> honest.mapWeights((i, w) -> new double[w.length]);
                case MEMORISE_PUBLIC -> MemorisingModel.build(honest, org.fusionmpc.semihonest.Mnist.testSubset().images(), random);
                case INPUT_ADAPTIVE -> swapClasses(honest, SWAP_A, SWAP_B);
                default -> honest;
            };
        }

        /** The share deviation a protocol strategy applies (null for model strategies). */
        public ServerDeviation deviation(Random random) {
            return switch (strategy) {
                case CORRUPT_OUTPUTS, CORRUPT_RELU -> new ServerDeviation() {
                    private boolean[] chosen = new boolean[0];
                    private int firstRelu = -1;

                    @Override
                    public void apply(int layer, String kind, long[] share, int batch, int perSlot, int f) {
                        if (layer == 0 || chosen.length != batch) {
                            chosen = pick(batch, k, random);
                            firstRelu = -1;
                        }
                        boolean hit = strategy == CORRUPT_OUTPUTS ? kind.equals("logits")
                                : kind.equals("relu") && (firstRelu < 0 || firstRelu == layer);
                        if (!hit) {
                            return;
                        }
                        if (strategy == CORRUPT_RELU) {
                            firstRelu = layer;
                        }
                        for (int s = 0; s < batch; s++) {
                            if (!chosen[s]) {
                                continue;
                            }
                            if (strategy == CORRUPT_OUTPUTS) {
                                share[s * perSlot + random.nextInt(perSlot)] += (long) Math.scalb(FORCE, f);
                            } else {
                                for (int i = 0; i < perSlot; i++) {
                                    share[s * perSlot + i] += (long) Math.scalb(RELU_SHIFT, f);
                                }
                            }
                        }
                    }
                };
                case CONSTANT_ERROR, ONE_CLASS -> (layer, kind, share, batch, perSlot, f) -> {
                    if (!kind.equals("logits")) {
                        return;
                    }
                    int cls = strategy == ONE_CLASS ? ONE : 0;
                    long add = (long) Math.scalb(strategy == ONE_CLASS ? FORCE : CONSTANT, f);
                    for (int s = 0; s < batch; s++) {
                        share[s * perSlot + Math.min(cls, perSlot - 1)] += add;
                    }
                };
                case CROSS_SLOT -> new ServerDeviation() {
                    @Override
                    public void apply(int layer, String kind, long[] share, int batch, int perSlot, int f) {
                    }

                    @Override
                    public long[][] slotMixing(int call, int batch) {
                        if (call != 0 || batch < 2) {
                            return null;
                        }
                        int[] pair = derangement(batch, random);
                        long[][] m = new long[batch][batch];
                        for (int s = 0; s < batch; s++) {
                            m[s][s] = 1;
                            m[s][pair[s]] = 1;
                        }
                        return m;
                    }
                };
                default -> null;
            };
        }

        @Override
        public String toString() {
            return strategy.label + (strategy.perSlot() ? ":" + k : "");
        }
    }

    /**
     * The targets a layout-aware server tries (shortfall, false alarm, miss; escape 2^-20): the library's defaults,
     * the demo's, and the session tests'. With its own claim it recomputes R and B for q = 1, 2, ... until N matches
     * the batch it is sent.
     */
    static final double[][] TARGET_GUESSES = {
        {FusionTargets.DEFAULT_SHORTFALL, FusionTargets.DEFAULT_FALSE_ALARM, FusionTargets.DEFAULT_MISS},
        {0.15, 0.01, 0.05}, {0.2, 0.01, 0.05}};

    /**
     * The layout-aware deviation: finds (q, R, B) for the batch from the guessed targets, redraws the layout from
     * {@code seed} as the client's code does, and adds {@link #FORCE} to class 3 (class 4 where 3 would already win
     * cannot be known, so a query whose answer is 3 stays right) on the logits of query 0's replicas there.
     */
    public static ServerDeviation layoutAware(double[][] targetGuesses, double claim, int publicSetSize, byte[] seed) {
        return (layer, kind, share, batch, perSlot, f) -> {
            if (!kind.equals("logits")) {
                return;
            }
            for (double[] t : targetGuesses) {
                for (int q = 1; q <= 64; q++) {
                    FusionParams p;
                    try {
                        p = FusionOptimizer.choose(new FusionTargets(q, FusionTargets.DEFAULT_ESCAPE, claim, t[0], t[1], t[2],
                                FusionTargets.DEFAULT_HONEST_FLIP), FusionTargets.DEFAULT_MAX_SLOTS);
                    } catch (IllegalArgumentException e) {
                        continue;
                    }
                    if (p.slots() != batch) {
                        continue;
                    }
                    org.fusionmpc.api.random.Prg guess = new org.fusionmpc.api.random.Prg(seed.clone());
                    SlotLayout layout = SlotLayout.draw(q, p.replicas(), p.publicSlots(), publicSetSize, guess::nextInt);
                    for (int c = 0; c < p.replicas(); c++) {
                        share[layout.replicaSlot(0, c) * perSlot + Math.min(3, perSlot - 1)] += (long) Math.scalb(FORCE, f);
                    }
                    return;
                }
            }
        };
    }

    /** The model with output classes a and b swapped in its last linear layer (rows of the weights, entries of the bias). */
    static Network swapClasses(Network honest, int a, int b) {
        int last = honest.layers().size() - 1;
        int classes = honest.outputSize();
        if (!(honest.layers().get(last) instanceof org.fusionmpc.semihonest.Layer.Linear lin) || lin.conv()) {
            throw new IllegalArgumentException("input-adaptive swaps the rows of a last dense layer; " + honest.name() + " ends otherwise");
        }
        return honest.mapWeights((i, w) -> {
            if (i != last) {
                return w;
            }
            int n = w.length / classes;
            for (int k = 0; k < n; k++) {
                double t = w[a * n + k];
                w[a * n + k] = w[b * n + k];
                w[b * n + k] = t;
            }
            return w;
        });
    }

    /** A uniformly random permutation of 0..n-1 without fixed points (n ≥ 2), by rejection. */
    static int[] derangement(int n, Random random) {
        int[] p = new int[n];
        boolean fixed;
        do {
            for (int i = 0; i < n; i++) {
                p[i] = i;
            }
            fixed = false;
            for (int i = n - 1; i >= 0; i--) {
                int j = random.nextInt(i + 1);
                int t = p[i];
                p[i] = p[j];
                p[j] = t;
                fixed |= p[i] == i;
            }
        } while (fixed);
        return p;
    }

    static boolean[] pick(int n, int k, Random random) {
        boolean[] chosen = new boolean[n];
        int[] idx = new int[n];
        for (int i = 0; i < n; i++) {
            idx[i] = i;
        }
        for (int i = 0; i < Math.min(k, n); i++) {
            int j = i + random.nextInt(n - i);
            int t = idx[i];
            idx[i] = idx[j];
            idx[j] = t;
            chosen[idx[i]] = true;
        }
        return chosen;
    }

    static double[] noisy(double[] w, double scale, Random random, boolean keep) {
        double rms = 0;
        for (double x : w) {
            rms += x * x;
        }
        rms = Math.sqrt(rms / Math.max(1, w.length));
        double[] out = new double[w.length];
        for (int i = 0; i < w.length; i++) {
            out[i] = (keep ? w[i] : 0) + scale * rms * random.nextGaussian();
        }
        return out;
    }
}
