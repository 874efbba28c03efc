package org.fusionmpc.api.channel;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.concurrent.atomic.AtomicInteger;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.IdleStrategy;
import org.jctools.queues.SpscArrayQueue;

/**
 * Both ends of a channel inside one JVM, for tests and single-process benchmarks. Each direction passes whole
 * send buffers through a JCTools single-producer single-consumer queue and returns them through a second
 * one, so a byte is copied once into a buffer and once out of it, and at most {@link #CHUNKS_PER_DIRECTION}
 * buffers exist per direction: a sender that runs ahead of its receiver waits (with the I/O timeout) rather
 * than growing memory.
 */
public final class InMemoryChannel extends FramedChannel {

    /** Buffers in flight per direction; with the default 256 KiB buffers, 4 MiB. */
    public static final int CHUNKS_PER_DIRECTION = 16;

    private static final ByteBuffer NOTHING_READ = ByteBuffer.allocate(0);
    private static final AtomicInteger PAIRS = new AtomicInteger();

    /** One direction: full buffers go forward, drained ones come back. */
    private static final class Lane {
        final SpscArrayQueue<ByteBuffer> full = new SpscArrayQueue<>(CHUNKS_PER_DIRECTION);
        final SpscArrayQueue<ByteBuffer> drained = new SpscArrayQueue<>(CHUNKS_PER_DIRECTION);
        volatile boolean writerClosed;
        volatile boolean readerClosed;
        int allocated = 1; // the writer's first buffer; touched by the writer only
    }

    private final Lane outgoing;
    private final Lane incoming;
    private final String description;
    private final IdleStrategy idle = new BackoffIdleStrategy(64, 16, 1_000, 200_000);

    private InMemoryChannel(ChannelConfig config, Lane outgoing, Lane incoming, String description) {
        super(config, ByteBuffer.allocate(config.bufferBytes()), NOTHING_READ);
        this.outgoing = outgoing;
        this.incoming = incoming;
        this.description = description;
    }

    /** A connected pair: what {@code pair[0]} sends, {@code pair[1]} receives, and the other way round. */
    public static InMemoryChannel[] pair(ChannelConfig config) {
        Lane ab = new Lane();
        Lane ba = new Lane();
        int id = PAIRS.incrementAndGet();
        return new InMemoryChannel[] {
            new InMemoryChannel(config, ab, ba, "in-memory #" + id + " end 0"),
            new InMemoryChannel(config, ba, ab, "in-memory #" + id + " end 1")
        };
    }

    public static InMemoryChannel[] pair() {
        return pair(ChannelConfig.DEFAULT);
    }

    @Override
    protected ByteBuffer transmit(ByteBuffer full) {
        if (outgoing.readerClosed) {
            throw peerClosed();
        }
        // Never fails: at most CHUNKS_PER_DIRECTION buffers exist for this lane.
        outgoing.full.offer(full.flip());
        ByteBuffer next = outgoing.drained.poll();
        if (next == null && outgoing.allocated < CHUNKS_PER_DIRECTION) {
            outgoing.allocated++;
            next = ByteBuffer.allocate(config.bufferBytes()).order(ByteOrder.LITTLE_ENDIAN);
        }
        long deadline = 0;
        idle.reset();
        while (next == null) {
            if (outgoing.readerClosed) {
                throw peerClosed();
            }
            long now = System.nanoTime();
            if (deadline == 0) {
                deadline = now + config.ioTimeout().toNanos();
            } else if (now - deadline > 0) {
                throw sendTimeout();
            }
            idle.idle();
            next = outgoing.drained.poll();
        }
        return next.clear();
    }

    @Override
    protected ByteBuffer refill(ByteBuffer exhausted) {
        if (exhausted != NOTHING_READ) {
            incoming.drained.offer(exhausted);
        }
        long deadline = 0;
        idle.reset();
        while (true) {
            ByteBuffer next = incoming.full.poll();
            if (next != null) {
                if (next.hasRemaining()) {
                    return next;
                }
                incoming.drained.offer(next);
                continue;
            }
            if (incoming.writerClosed) {
                // The writer publishes its last buffers before its close flag: look once more.
                next = incoming.full.poll();
                if (next == null) {
                    throw peerClosed();
                }
                return next;
            }
            long now = System.nanoTime();
            if (deadline == 0) {
                deadline = now + config.ioTimeout().toNanos();
            } else if (now - deadline > 0) {
                throw receiveTimeout();
            }
            idle.idle();
        }
    }

    @Override
    protected void closeTransport() {
        outgoing.writerClosed = true;
        incoming.readerClosed = true;
    }

    @Override
    public String describe() {
        return description;
    }
}
