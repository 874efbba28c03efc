package org.fusionmpc.ot;

/**
 * Hands out a silent extension's COTs in order, round after round, for either side: the bootstrap round first, then
 * main rounds, each started when the last one's trees are spent. A round's first K + T·H outputs (the main set's) are
 * kept back as the next round's input, never handed out; the rest are made one slab of trees at a time.
 */
final class FerretStream {

    /** One side's round: begins it (the message), then makes the outputs of some of its trees. */
    interface Side {
        void begin(Ferret.Shape shape, long[] input, long round, long tweak);

        void produce(int firstTree, int trees, long[] out);
    }

    private final FerretParams params;
    private final Side side;
    private long[] input;
    private long[] next;
    private int nextFilled;
    private Ferret.Shape shape;
    private int nextTree;
    private long[] slab = new long[0];
    private int position;
    private int limit;
    private long round;
    /** The next unused hash tweak, shared with the OTs derived from these COTs. */
    long tweak;

    /** @param bootstrap the bootstrap round's input, made by SoftSpokenOT */
    FerretStream(FerretParams params, Side side, long[] bootstrap) {
        this.params = params;
        this.side = side;
        this.input = bootstrap;
        this.next = new long[2 * params.reserve()];
        this.nextFilled = params.reserve(); // the bootstrap input is ready: begin with it
    }

    /** Starts the bootstrap round now, so that setup sends (or reads) its message. */
    void start() {
        refill();
    }

    /** Copies the next n COTs to {@code dst} from block {@code at}. */
    void take(int n, long[] dst, int at) {
        int done = 0;
        while (done < n) {
            if (position == limit) {
                refill();
            }
            int m = Math.min(n - done, limit - position);
            System.arraycopy(slab, 2 * position, dst, 2 * (at + done), 2 * m);
            position += m;
            done += m;
        }
    }

    private void refill() {
        if (shape == null || nextTree == shape.t()) {
            Ferret.Shape s = shape == null ? SilentOt.bootstrapShape(params) : SilentOt.mainShape(params);
            if (shape != null) {
                long[] spent = input;
                input = next;
                next = spent.length == next.length ? spent : new long[next.length];
            }
            side.begin(s, input, round++, tweak);
            tweak += (long) s.t() * s.h();
            shape = s;
            nextTree = 0;
            nextFilled = 0;
            int slabBlocks = s.slabTrees() * s.leaves();
            if (slab.length < 2 * slabBlocks) {
                slab = new long[2 * slabBlocks];
            }
        }
        int trees = Math.min(shape.slabTrees(), shape.t() - nextTree);
        side.produce(nextTree, trees, slab);
        nextTree += trees;
        limit = trees * shape.leaves();
        position = 0;
        if (nextFilled < params.reserve()) {
            int m = Math.min(params.reserve() - nextFilled, limit);
            System.arraycopy(slab, 0, next, 2 * nextFilled, 2 * m);
            nextFilled += m;
            position = m;
        }
    }
}
