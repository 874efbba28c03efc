package org.fusionmpc.gc;

/** How many instances of a circuit are garbled together: enough to batch AES, few enough to stay in cache-ish memory. */
final class GcBatch {

    /** Labels per batch are capped at 2^19 blocks (8 MiB); at most 1024 instances. */
    private static final int MAX_BLOCKS = 1 << 19;
    private static final int MAX_INSTANCES = 1024;

    private GcBatch() {
    }

    static int instances(Circuit c, int n) {
        int byMemory = Math.max(1, MAX_BLOCKS / c.wireSlots());
        return Math.max(1, Math.min(n, Math.min(MAX_INSTANCES, byMemory)));
    }
}
