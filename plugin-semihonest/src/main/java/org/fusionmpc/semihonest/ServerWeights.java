package org.fusionmpc.semihonest;

import java.util.IdentityHashMap;
import java.util.Map;
import org.fusionmpc.api.session.MemoryBudget;
import org.fusionmpc.he.PreparedWeights;
import org.fusionmpc.ring.FixedPoint;

/**
 * A server's RLWE weights prepared once per loaded model ({@link PreparedWeights} per linear layer), shared
 * read-only by every session and slot. Their heap is held as a reservation in the server's session budget for as
 * long as the server lives, so admission sees what is left. Preparation happens on first use ({@link #get})
 * unless the server asks for it at start-up ({@link InferenceServer#prepareWeights}).
 */
final class ServerWeights {

    /** What preparation did, for the start-up report. */
    record Report(PrepareWeights mode, int prepared, int layers, long bytes, long estimate, long budgetFree, double seconds,
                  String reason) {

        @Override
        public String toString() {
            if (prepared == 0) {
                return "RLWE weights not prepared (" + mode.id() + "): " + reason;
            }
            return String.format(java.util.Locale.ROOT, "RLWE weights prepared (%s): %d of %d linear layers, %.1f MB in %.1f s;"
                    + " session budget left %.1f MB%s", mode.id(), prepared, layers, bytes / 1e6, seconds, budgetFree / 1e6,
                    prepared < layers ? " (" + reason + ")" : "");
        }
    }

    /** Auto prepares at most 1/this of the session budget. */
    static final int AUTO_BUDGET_SHARE = 4;

    private final Network network;
    private final FixedPoint fixedPoint;
    private final PrepareWeights mode;
    private Map<Layer.Linear, PreparedWeights> layers;
    private MemoryBudget.Reservation held;
    private Report report;

    ServerWeights(Network network, FixedPoint fixedPoint, PrepareWeights mode) {
        this.network = network;
        this.fixedPoint = fixedPoint;
        this.mode = mode;
    }

    PrepareWeights mode() {
        return mode;
    }

    /** Upper bound on the heap the prepared weights of one layer take, from its shape; -1 for a layer the RLWE engine refuses. */
    private static long estimate(Layer.Linear lin) {
        try {
            return PreparedWeights.bytes(lin.shape());
        } catch (RuntimeException unsupported) {
            return -1;
        }
    }

    /** Upper bound on the heap the prepared weights of every layer of {@code net} take. */
    static long estimate(Network net) {
        long bytes = 0;
        for (Layer l : net.layers()) {
            if (l instanceof Layer.Linear lin) {
                bytes += Math.max(0, estimate(lin));
            }
        }
        return bytes;
    }

    /**
     * Prepares (once) what the mode and the budget allow and returns what happened. {@code ON} prepares every layer
     * or refuses; {@code AUTO} prepares layers in network order while they fit beside a session of {@code oneSession}
     * bytes (every prepared weight polynomial saves the same, one NTT per prime per session, so order does not
     * matter for the saving per byte).
     */
    synchronized Report prepare(MemoryBudget budget, int threads, long oneSession) {
        if (report != null) {
            return report;
        }
        long total = estimate(network);
        int linear = 0;
        for (Layer l : network.layers()) {
            linear += l instanceof Layer.Linear ? 1 : 0;
        }
        if (mode == PrepareWeights.OFF) {
            return report = new Report(mode, 0, linear, 0, total, budget.free(), 0, "off; every session encodes its weights");
        }
        // Auto keeps to a quarter of the budget: prepared weights are live heap that every old-generation collection
        // scans, and past that share they slow the comparisons (measured on ResNet-50) more than they save.
        long allowance = mode == PrepareWeights.ON ? total
                : Math.min(total, Math.min(budget.free() - oneSession, budget.capacity() / AUTO_BUDGET_SHARE));
        if (mode == PrepareWeights.ON && budget.free() < total) {
            throw new IllegalStateException(String.format(java.util.Locale.ROOT,
                    "--prepare-weights on: the prepared weights of %s need up to %.1f MB, the session budget has %.1f MB free;"
                            + " give the JVM more heap (-Xmx) or use --prepare-weights auto", network.name(), total / 1e6, budget.free() / 1e6));
        }
        MemoryBudget.Reservation r = allowance > 0 || total == 0 ? budget.tryReserve(Math.max(0, allowance)) : null;
        if (r == null) {
            return report = new Report(mode, 0, linear, 0, total, budget.free(), 0, String.format(java.util.Locale.ROOT,
                    "they would take up to %.1f MB and a one-input session %.1f MB, more than the %.1f MB budget left;"
                            + " every session encodes its weights (a larger -Xmx changes that)", total / 1e6, oneSession / 1e6, budget.free() / 1e6));
        }
        long start = System.nanoTime();
        Map<Layer.Linear, PreparedWeights> map = new IdentityHashMap<>();
        long bytes = 0;
        long planned = 0;
        int skipped = 0;
        for (Layer l : network.layers()) {
            if (!(l instanceof Layer.Linear lin) || map.containsKey(lin)) {
                continue;
            }
            long e = estimate(lin);
            if (e < 0) {
                continue; // not an RLWE layer shape; a session that asks for the RLWE engine reports it
            }
            if (planned + e > allowance) {
                skipped++;
                continue;
            }
            planned += e;
            PreparedWeights w = PreparedWeights.prepare(lin.operator(fixedPoint), threads);
            map.put(lin, w);
            bytes += w.bytes();
        }
        layers = map;
        r.close(); // hold what was prepared, not the bound
        held = budget.tryReserve(bytes);
        return report = new Report(mode, map.size(), linear, bytes, total, budget.free(), (System.nanoTime() - start) / 1e9,
                skipped == 0 ? "" : String.format(java.util.Locale.ROOT, "%d layers would not fit in %s; they are encoded per session", skipped,
                        mode == PrepareWeights.AUTO ? "a quarter of the session budget" : "the budget"));
    }

    /** The prepared weights of {@code layer}, or null when this server did not prepare (or could not). */
    synchronized PreparedWeights get(Layer.Linear layer) {
        return layers == null ? null : layers.get(layer);
    }
}
