package org.fusionmpc.fusion;

import java.util.function.IntUnaryOperator;

/**
 * The client's secret arrangement of a session: which public samples it drew (B of P, without replacement)
 * and a uniformly random permutation of the N = qR + B slots. Slot {@code position[k]} holds item k, where
 * items 0 .. qR-1 are the replicas (query i, copy c at item i·R + c) and items qR .. N-1 the public samples.
 * Built from a {@code nextInt(bound)} source; the protocol uses the SDK's AES-CTR PRG seeded from SecureRandom.
 */
final class SlotLayout {

    private final int q;
    private final int r;
    private final int[] position;
    private final int[] drawn;

    private SlotLayout(int q, int r, int[] position, int[] drawn) {
        this.q = q;
        this.r = r;
        this.position = position;
        this.drawn = drawn;
    }

    /** Draws {@code b} of {@code publicSetSize} samples and a uniform permutation of the slots (Fisher-Yates). */
    static SlotLayout draw(int q, int r, int b, int publicSetSize, IntUnaryOperator nextInt) {
        if (b > publicSetSize) {
            throw new IllegalArgumentException("the public set has " + publicSetSize + " samples; the session needs " + b);
        }
        int[] pool = new int[publicSetSize];
        for (int i = 0; i < pool.length; i++) {
            pool[i] = i;
        }
        for (int i = 0; i < b; i++) {
            int j = i + nextInt.applyAsInt(publicSetSize - i);
            int t = pool[i];
            pool[i] = pool[j];
            pool[j] = t;
        }
        int n = q * r + b;
        int[] pos = new int[n];
        for (int i = 0; i < n; i++) {
            pos[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = nextInt.applyAsInt(i + 1);
            int t = pos[i];
            pos[i] = pos[j];
            pos[j] = t;
        }
        return new SlotLayout(q, r, pos, java.util.Arrays.copyOf(pool, b));
    }

    int slots() {
        return position.length;
    }

    int replicaSlot(int query, int copy) {
        return position[query * r + copy];
    }

    int publicSlot(int j) {
        return position[q * r + j];
    }

    /** Index in the public set of the j-th drawn sample. */
    int publicSample(int j) {
        return drawn[j];
    }

    int publicCount() {
        return drawn.length;
    }

    /** The N inputs in slot order. */
    double[][] arrange(double[][] queries, double[][] publicImages) {
        double[][] slots = new double[slots()][];
        for (int i = 0; i < q; i++) {
            for (int c = 0; c < r; c++) {
                slots[replicaSlot(i, c)] = queries[i];
            }
        }
        for (int j = 0; j < drawn.length; j++) {
            slots[publicSlot(j)] = publicImages[drawn[j]];
        }
        return slots;
    }
}
