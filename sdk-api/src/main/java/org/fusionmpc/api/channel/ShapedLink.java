package org.fusionmpc.api.channel;

import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.LockSupport;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * A WAN link emulated in-process between the two ends of a channel pair: each direction has a bandwidth and
 * a one-way delay of half the round-trip time. A sent message occupies its direction's link for
 * payload/rate after the previous one leaves, and may be received only one-way-delay after that; the receiver
 * sleeps until then. Sends do not block (an unbounded send buffer), so a bulk transfer of B bytes takes
 * B/rate + rtt/2 and a ping-pong of k round trips k·rtt, which is what a benchmark over a shaped link is meant
 * to charge. Both ends must be wrapped by the same {@link #wrap} call (the deadlines pass between them in
 * memory), so this is for benchmarks with both parties in one process; a real link is shaped with
 * {@code tc netem}.
 */
public final class ShapedLink {

    private final double bytesPerSecond;
    private final long oneWayNanos;
    private final Direction toSecond = new Direction();
    private final Direction toFirst = new Direction();

    /** A link spec: rate and round-trip time. */
    public record Spec(double bytesPerSecond, long rttNanos) {

        /** Parses {@code <rate>:<rtt>}, e.g. {@code 100mbit:20ms}, {@code 1gbit:500us}, {@code 400kbit:0.3s}. */
        public static Spec parse(String s) {
            String[] parts = s.strip().toLowerCase(Locale.ROOT).split(":");
            if (parts.length != 2) {
                throw new IllegalArgumentException("a WAN spec is <rate>:<rtt>, e.g. 100mbit:20ms; got '" + s + "'");
            }
            double bits = number(parts[0], new String[] {"gbit", "mbit", "kbit", "bit"}, new double[] {1e9, 1e6, 1e3, 1}, s);
            double seconds = number(parts[1], new String[] {"ms", "us", "s"}, new double[] {1e-3, 1e-6, 1}, s);
            if (!(bits > 0) || !(seconds >= 0)) {
                throw new IllegalArgumentException("a WAN spec needs a positive rate and a non-negative rtt: '" + s + "'");
            }
            return new Spec(bits / 8, Math.round(seconds * 1e9));
        }

        private static double number(String v, String[] units, double[] scale, String whole) {
            for (int i = 0; i < units.length; i++) {
                if (v.endsWith(units[i])) {
                    try {
                        return Double.parseDouble(v.substring(0, v.length() - units[i].length())) * scale[i];
                    } catch (NumberFormatException e) {
                        break;
                    }
                }
            }
            throw new IllegalArgumentException("cannot read '" + v + "' in WAN spec '" + whole + "'; rates in bit/kbit/mbit/gbit, times in s/ms/us");
        }

        @Override
        public String toString() {
            return String.format(Locale.ROOT, "%.1f Mbit/s, rtt %.1f ms", bytesPerSecond * 8 / 1e6, rttNanos / 1e6);
        }
    }

    private ShapedLink(Spec spec) {
        this.bytesPerSecond = spec.bytesPerSecond();
        this.oneWayNanos = spec.rttNanos() / 2;
    }

    /** Wraps both ends of a pair (first, second) in one emulated link. */
    public static Channel[] wrap(Channel first, Channel second, Spec spec) {
        ShapedLink link = new ShapedLink(Objects.requireNonNull(spec, "spec"));
        return new Channel[] {new End(first, link.toSecond, link.toFirst, link), new End(second, link.toFirst, link.toSecond, link)};
    }

    /** One direction: when its link is next free, and the arrival deadlines of messages in flight, in order. */
    private static final class Direction {
        private final ConcurrentLinkedQueue<Long> arrivals = new ConcurrentLinkedQueue<>();
        private long free; // only the sending end's thread touches this
    }

    private long sent(Direction d, long bytes) {
        long now = System.nanoTime();
        long start = Math.max(now, d.free);
        d.free = start + (long) (bytes / bytesPerSecond * 1e9);
        long arrival = d.free + oneWayNanos;
        d.arrivals.add(arrival);
        return arrival;
    }

    private static void arrive(Direction d) {
        Long at = d.arrivals.poll();
        if (at == null) {
            return; // the message was not sent through the link (cannot happen when both ends are wrapped)
        }
        parkUntil(at);
    }

    /** Sleeps until {@link System#nanoTime()} reaches {@code deadline}, however often the park returns early. */
    static void parkUntil(long deadline) {
        for (long wait = deadline - System.nanoTime(); wait > 0; wait = deadline - System.nanoTime()) {
            LockSupport.parkNanos(wait);
        }
    }

    private static final class End extends ForwardingChannel {
        private final Direction out;
        private final Direction in;
        private final ShapedLink link;

        End(Channel delegate, Direction out, Direction in, ShapedLink link) {
            super(delegate);
            this.out = out;
            this.in = in;
            this.link = link;
        }

        @Override
        public void send(byte[] src, int offset, int length) {
            link.sent(out, length); // deadline first, so the peer finds it when the message arrives
            super.send(src, offset, length);
        }

        @Override
        public void send(long[] src, int offset, int length) {
            link.sent(out, 8L * length);
            super.send(src, offset, length);
        }

        @Override
        public void send(DirectBuffer src, int index, int length) {
            link.sent(out, length);
            super.send(src, index, length);
        }

        @Override
        public void receive(byte[] dst, int offset, int length) {
            super.receive(dst, offset, length);
            arrive(in);
        }

        @Override
        public void receive(long[] dst, int offset, int length) {
            super.receive(dst, offset, length);
            arrive(in);
        }

        @Override
        public void receive(MutableDirectBuffer dst, int index, int length) {
            super.receive(dst, index, length);
            arrive(in);
        }

        @Override
        public byte[] receiveBytes(int maxBytes) {
            byte[] b = super.receiveBytes(maxBytes);
            arrive(in);
            return b;
        }

        @Override
        public long[] receiveLongs(int maxLongs) {
            long[] l = super.receiveLongs(maxLongs);
            arrive(in);
            return l;
        }

        @Override
        public String describe() {
            return super.describe() + " [shaped in-process]";
        }
    }
}
