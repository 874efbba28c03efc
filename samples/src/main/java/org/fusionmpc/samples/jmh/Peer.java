package org.fusionmpc.samples.jmh;

import java.util.function.Consumer;
import org.fusionmpc.api.channel.Channel;
import org.fusionmpc.api.channel.ChannelException;

/**
 * The other party of a two-party benchmark: a daemon thread that repeats its half of the operation until the
 * benchmark closes the channel. It never runs more than one operation ahead, because every operation
 * measured here makes the peer wait for a message from the benchmark thread.
 */
final class Peer {

    private final Thread thread;
    private volatile Throwable failure;

    private Peer(Channel channel, Consumer<Channel> once, String name) {
        thread = new Thread(() -> {
            try {
                while (!Thread.currentThread().isInterrupted()) {
                    once.accept(channel);
                }
            } catch (ChannelException closed) {
                // The benchmark closed its end: the normal way out.
            } catch (Throwable t) {
                failure = t;
            }
        }, "jmh-peer-" + name);
        thread.setDaemon(true);
    }

    static Peer start(Channel channel, Consumer<Channel> once, String name) {
        Peer p = new Peer(channel, once, name);
        p.thread.start();
        return p;
    }

    /** Call after closing the benchmark's end: waits for the peer and reports a failure it saw on the way. */
    void join() throws InterruptedException {
        thread.join(10_000);
        if (failure != null) {
            throw new IllegalStateException("benchmark peer failed", failure);
        }
    }
}
