package org.fusionmpc.api.concurrent;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntConsumer;

/**
 * Fork-join of a few lanes of CPU work that touch no channel (RLWE products, OT-extension leaf expansion): lane
 * 0 runs on the caller, the others on shared daemon workers, and the call returns when all are done, rethrowing
 * the first failure. Callers split work so that the result does not depend on the number of lanes.
 */
public final class Lanes {

    private static final ExecutorService WORKERS = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "fusionmpc-lane");
        t.setDaemon(true);
        return t;
    });

    private Lanes() {
    }

    /** What one lane does with its share {@code [from, to)} of a range. */
    @FunctionalInterface
    public interface Range {
        void run(int from, int to, int lane);
    }

    /**
     * Runs {@code body} over {@code [0, total)} cut into {@code count} contiguous ranges, lane i taking
     * {@code [total·i/count, total·(i+1)/count)}, in parallel when {@code count > 1}.
     */
    public static void split(int count, int total, Range body) {
        run(count, lane -> body.run((int) ((long) total * lane / count), (int) ((long) total * (lane + 1) / count), lane));
    }

    /** Runs {@code lane.accept(0 .. count - 1)}, in parallel when {@code count > 1}. */
    public static void run(int count, IntConsumer lane) {
        if (count == 1) {
            lane.accept(0);
            return;
        }
        Future<?>[] f = new Future<?>[count - 1];
        for (int t = 1; t < count; t++) {
            int id = t;
            f[t - 1] = WORKERS.submit(() -> lane.accept(id));
        }
        lane.accept(0);
        for (Future<?> g : f) {
            try {
                g.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for a lane", e);
            } catch (ExecutionException e) {
                throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
            }
        }
    }
}
