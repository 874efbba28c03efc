package org.fusionmpc.semihonest;

import org.fusionmpc.gc.OtComparisons;
import org.fusionmpc.he.HeLinearEngine;
import org.fusionmpc.ot.OtExtension;

/**
 * The server's estimate of one session's heap, from the model and the requested batch, for memory admission
 * ({@link InferenceServer#withMemoryBudget}). Deliberately generous: share vectors (the running one, the next, the
 * residual slots and the comparison engine's copies: {@value #SHARE_COPIES} of the largest layer), the RLWE engine's
 * ciphertexts and accumulators for its largest layer, and a fixed part for the OT extensions' buffers.
 */
final class SessionMemory {

    static final int SHARE_COPIES = 8;
    /** OT extension and comparison buffers, chunked so they do not grow with the batch. */
    static final long FIXED_BYTES = 64L << 20;

    private SessionMemory() {
    }

    /** Bytes per slot of the batch. */
    static long perSlot(Network net, LinearMode mode, int threads) {
        long bytes = net.largestActivation() * Long.BYTES * SHARE_COPIES;
        if (mode == LinearMode.HE) {
            long he = 0;
            for (Layer l : net.layers()) {
                if (l instanceof Layer.Linear lin) {
                    try {
                        he = Math.max(he, HeLinearEngine.serverBytesPerSlot(lin.shape(), threads));
                    } catch (RuntimeException unsupported) {
                        // a layer the engine refuses fails the session on its own; it adds nothing to admit
                    }
                }
            }
            bytes += he;
        }
        return bytes;
    }

    /** The part that does not grow with the batch: buffers, and both OT extension instances of a party. */
    static long fixedBytes(OtExtension ot) {
        return FIXED_BYTES + 2 * ot.heapBytes();
    }

    /**
     * Bytes a session of {@code batch} slots is admitted for: the fixed part, the per-slot part, and the comparison
     * engine's working memory, which grows with the batch until a layer fills its passes.
     */
    static long estimate(Network net, LinearMode mode, OtExtension ot, int batch, int threads) {
        return fixedBytes(ot) + batch * perSlot(net, mode, threads)
                + OtComparisons.workingBytes(net.largestActivation() * batch);
    }

    /** The largest batch in [0, {@code max}] whose {@link #estimate} fits in {@code free} bytes. */
    static int largestBatch(Network net, LinearMode mode, OtExtension ot, int threads, long free, int max) {
        int lo = 0;
        int hi = max;
        while (lo < hi) {
            int mid = (int) (((long) lo + hi + 1) >>> 1);
            if (estimate(net, mode, ot, mid, threads) <= free) {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        return lo;
    }
}
