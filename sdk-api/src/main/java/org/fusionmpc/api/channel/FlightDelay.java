package org.fusionmpc.api.channel;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * One end's half of a link's latency, for a link whose rate is shaped by someone else (the kernel's {@code tbf}
 * on a veth pair, say) but which has no delay of its own: Linux without {@code sch_netem} can pace bytes but not
 * hold them. The first flush of each flight (an explicit {@link #flush()}, or the one before a receive) holds what
 * this end has sent for the one-way delay, then hands it to the transport; later flushes of the same flight (until
 * this end receives) go at once. Stalling the sender once shifts everything it sends after in that flight by the
 * delay too, so each part arrives one delay after it was made, as on a link with that delay; with both ends
 * wrapped with rtt/2 a protocol pays rounds·rtt/2 on top of what the link's rate charges. It errs on the slow side
 * only where the sender computes between its last send and its next receive, which a real link would overlap.
 * Bytes beyond the transport's send buffer leave early (the transport ships a full buffer), which only matters when
 * the flight's bytes/rate dwarfs the delay.
 *
 * <p>The peer's process is charged by its own wrapper, so this works with the parties in different processes
 * or hosts, unlike {@link ShapedLink}, whose two ends share their deadlines in memory.
 */
public final class FlightDelay extends ForwardingChannel {

    private final long oneWayNanos;
    private boolean pending;
    private boolean flightHeld;
    private long held;

    private FlightDelay(Channel delegate, long oneWayNanos) {
        super(delegate);
        this.oneWayNanos = oneWayNanos;
    }

    /** {@code inner} with what it sends held {@code oneWayNanos} (≥ 0) at each flush. */
    public static Channel wrap(Channel inner, long oneWayNanos) {
        if (oneWayNanos < 0) {
            throw new IllegalArgumentException("a delay must be non-negative, got " + oneWayNanos + " ns");
        }
        return new FlightDelay(inner, oneWayNanos);
    }

    /** Waits out the delay, then lets what was sent go. */
    private void release() {
        if (!pending) {
            return;
        }
        pending = false;
        if (!flightHeld) {
            flightHeld = true;
            held++;
            ShapedLink.parkUntil(System.nanoTime() + oneWayNanos);
        }
        super.flush();
    }

    /** Ends this end's flight: what it sends next starts a new one, whose first flush is held again. */
    private void beginReceive() {
        release();
        flightHeld = false;
    }

    /** How many flushes this end has held so far: the delays it charged, one per flight it sent. */
    public long heldFlushes() {
        return held;
    }

    @Override
    public void send(byte[] src, int offset, int length) {
        super.send(src, offset, length);
        pending = true;
    }

    @Override
    public void send(long[] src, int offset, int length) {
        super.send(src, offset, length);
        pending = true;
    }

    @Override
    public void send(DirectBuffer src, int index, int length) {
        super.send(src, index, length);
        pending = true;
    }

    @Override
    public void flush() {
        release();
    }

    @Override
    public void receive(byte[] dst, int offset, int length) {
        beginReceive();
        super.receive(dst, offset, length);
    }

    @Override
    public void receive(long[] dst, int offset, int length) {
        beginReceive();
        super.receive(dst, offset, length);
    }

    @Override
    public void receive(MutableDirectBuffer dst, int index, int length) {
        beginReceive();
        super.receive(dst, index, length);
    }

    @Override
    public byte[] receiveBytes(int maxBytes) {
        beginReceive();
        return super.receiveBytes(maxBytes);
    }

    @Override
    public long[] receiveLongs(int maxLongs) {
        beginReceive();
        return super.receiveLongs(maxLongs);
    }

    @Override
    public String describe() {
        return super.describe() + " [flushes delayed " + oneWayNanos / 1000 + " us]";
    }

    @Override
    public void close() {
        try {
            if (isOpen()) {
                release();
            }
        } catch (RuntimeException ignored) {
            // Closing must release the link even when the last flight cannot leave.
        } finally {
            super.close();
        }
    }
}
