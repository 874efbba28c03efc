package org.fusionmpc.api.testing;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.fusionmpc.api.channel.Channel;
import org.fusionmpc.api.channel.ChannelConfig;
import org.fusionmpc.api.channel.ChannelException;
import org.fusionmpc.api.channel.InMemoryChannel;
import org.fusionmpc.api.channel.TcpChannel;
import org.fusionmpc.api.channel.TcpListener;

/**
 * Both parties of a protocol in one JVM, for tests and benchmarks of protocols built on the SDK: a
 * connected pair of channels in memory or over loopback TCP, and a runner that plays each party on its own
 * thread. Test a protocol over both, against an independent reference.
 */
public enum TwoParties {
    IN_MEMORY,
    TCP;

    /** {@code [first party's end, second party's end]}. */
    public Channel[] pair() {
        if (this == IN_MEMORY) {
            return InMemoryChannel.pair();
        }
        try (TcpListener listener = TcpListener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), ChannelConfig.DEFAULT)) {
            CompletableFuture<Channel> accepted = CompletableFuture.supplyAsync(listener::accept);
            Channel client = TcpChannel.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), listener.port()),
                    ChannelConfig.DEFAULT);
            return new Channel[] {join(accepted, 30), client};
        }
    }

    /**
     * Runs {@code first} and {@code second} on the two ends, each on its own thread; returns both results. If either
     * fails, this throws the failure that is the cause (an {@link ExecutionException} around it), whichever side it
     * came from: a side that only saw its peer go away ({@link ChannelException.Kind#PEER_CLOSED}) is the effect, and
     * is attached as suppressed.
     */
    public <A, B> Object[] run(Function<Channel, A> first, Function<Channel, B> second) throws Exception {
        Channel[] pair = pair();
        try (Channel a = pair[0]; Channel b = pair[1]) {
            CompletableFuture<A> x = CompletableFuture.supplyAsync(() -> first.apply(a));
            CompletableFuture<B> y = CompletableFuture.supplyAsync(() -> second.apply(b));
            // A party that fails closes both ends, so the other fails fast instead of waiting for a message.
            x.whenComplete((r, t) -> closeOnFailure(t, a, b));
            y.whenComplete((r, t) -> closeOnFailure(t, a, b));
            Throwable fx = failure(x);
            Throwable fy = failure(y);
            if (fx == null && fy == null) {
                return new Object[] {x.join(), y.join()};
            }
            Throwable cause = fx == null || fy != null && effect(fx) && !effect(fy) ? fy : fx;
            Throwable other = cause == fx ? fy : fx;
            if (other != null && other != cause) {
                cause.addSuppressed(other);
            }
            throw new ExecutionException(cause);
        }
    }

    /** What {@code f} failed with (unwrapped), null if it succeeded; waits at most 600 s. */
    private static Throwable failure(CompletableFuture<?> f) throws Exception {
        try {
            f.get(600, TimeUnit.SECONDS);
            return null;
        } catch (ExecutionException e) {
            return e.getCause();
        }
    }

    /** A failure that only reports the peer going away: the consequence of the other side's failure, not a cause. */
    private static boolean effect(Throwable t) {
        return t instanceof ChannelException c && c.kind() == ChannelException.Kind.PEER_CLOSED;
    }

    private static void closeOnFailure(Throwable t, Channel a, Channel b) {
        if (t != null) {
            a.close();
            b.close();
        }
    }

    /** Runs both parties' work at once (the first on a second thread) and returns the wall time in seconds. */
    public static double timeBoth(Runnable first, Runnable second) throws Exception {
        long start = System.nanoTime();
        CompletableFuture<Void> other = CompletableFuture.runAsync(first);
        second.run();
        other.get(600, TimeUnit.SECONDS);
        return (System.nanoTime() - start) / 1e9;
    }

    private static <T> T join(CompletableFuture<T> f, int seconds) {
        try {
            return f.get(seconds, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        } catch (Exception e) {
            throw new IllegalStateException("the second party did not connect: " + e, e);
        }
    }
}
