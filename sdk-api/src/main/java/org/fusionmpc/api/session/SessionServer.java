package org.fusionmpc.api.session;

import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.fusionmpc.api.channel.Channel;
import org.fusionmpc.api.channel.ChannelException;
import org.fusionmpc.api.channel.Listener;

/**
 * Serves sessions to many clients at once: one accepting thread and a pool of at most {@code maxSessions}
 * workers, each session on its own channel with its own state (the handler makes it). A client that arrives
 * while every slot is busy waits at most {@value #GRACE_MILLIS} ms for one, then is refused with a clear message
 * ({@link Handshake#refuseBusy}: it sees a {@link ChannelException.Kind#REFUSED} error naming the limit), never
 * queued behind a stalled session. A
 * session that fails (bad peer, timeout, bad input) is counted and logged; the others and the server go on.
 * The TLS handshake of a new connection runs on its worker, so a client that stalls it holds up only itself.
 */
public final class SessionServer implements AutoCloseable {

    /** What one session does on its channel; throwing ends that session only. */
    @FunctionalInterface
    public interface Handler {
        void serve(Channel channel) throws Exception;
    }

    /** How long a new client waits for a free slot before it is refused. */
    public static final long GRACE_MILLIS = 500;

    private final Listener listener;
    private final int maxSessions;
    private final Handler handler;
    private final Consumer<String> log;
    private final Semaphore slots;
    private final ThreadPoolExecutor workers;
    private final ThreadPoolExecutor refusals;
    private final Thread acceptor;
    private final AtomicLong served = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicLong refused = new AtomicLong();
    private final AtomicInteger ids = new AtomicInteger();
    private final AtomicLong sessionIds = new AtomicLong();
    private volatile boolean running = true;

    private SessionServer(Listener listener, int maxSessions, Handler handler, Consumer<String> log) {
        if (maxSessions < 1) {
            throw new IllegalArgumentException("a server needs at least one session slot, got " + maxSessions);
        }
        this.listener = Objects.requireNonNull(listener, "listener");
        this.maxSessions = maxSessions;
        this.handler = Objects.requireNonNull(handler, "handler");
        this.log = Objects.requireNonNull(log, "log");
        this.slots = new Semaphore(maxSessions);
        this.workers = new ThreadPoolExecutor(maxSessions, maxSessions, 30, TimeUnit.SECONDS, new ArrayBlockingQueue<>(maxSessions),
                r -> daemon(r, "session-" + ids.incrementAndGet()));
        this.workers.allowCoreThreadTimeOut(true);
        // Refusing costs a TLS handshake; one thread and a short queue, past which a connection is just dropped.
        this.refusals = new ThreadPoolExecutor(1, 1, 30, TimeUnit.SECONDS, new ArrayBlockingQueue<>(16),
                r -> daemon(r, "session-refuser"), new ThreadPoolExecutor.DiscardPolicy());
        this.refusals.allowCoreThreadTimeOut(true);
        this.acceptor = daemon(this::acceptLoop, "session-acceptor");
    }

    /** Starts serving on {@code listener}; {@link #close()} stops. */
    public static SessionServer start(Listener listener, int maxSessions, Handler handler, Consumer<String> log) {
        SessionServer s = new SessionServer(listener, maxSessions, handler, log);
        s.acceptor.start();
        return s;
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    private void acceptLoop() {
        while (running) {
            Listener.Pending pending;
            try {
                pending = listener.acceptPending();
            } catch (ChannelException e) {
                if (!running) {
                    return;
                }
                if (e.kind() != ChannelException.Kind.TIMEOUT) {
                    log.accept("accept failed: " + e.getMessage());
                }
                continue;
            }
            boolean slot;
            try {
                // A session that just answered its client may still be closing: wait a moment before refusing.
                slot = slots.tryAcquire(GRACE_MILLIS, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                pending.abandon();
                return;
            }
            if (!slot) {
                refused.incrementAndGet();
                refusals.execute(() -> {
                    try {
                        Handshake.refuseBusy(pending.open(), maxSessions);
                    } catch (RuntimeException e) {
                        pending.abandon();
                    }
                });
                continue;
            }
            long id = sessionIds.incrementAndGet();
            workers.execute(() -> run(pending, id));
        }
    }

    private void run(Listener.Pending pending, long id) {
        try (Channel ch = pending.open()) {
            handler.serve(ch);
            served.incrementAndGet();
        } catch (Exception | Error e) {
            pending.abandon();
            failed.incrementAndGet();
            log.accept("session " + id + " failed: " + e.getMessage());
        } finally {
            slots.release();
        }
    }

    /** Sessions that completed without error. */
    public long served() {
        return served.get();
    }

    /** Sessions that ended in an error. */
    public long failed() {
        return failed.get();
    }

    /** Clients turned away because every slot was busy. */
    public long refused() {
        return refused.get();
    }

    /** Sessions running now. */
    public int active() {
        return maxSessions - slots.availablePermits();
    }

    public int port() {
        return listener.port();
    }

    /** Stops accepting, closes the listener and waits (up to the given time) for running sessions. */
    public void close(long timeout, TimeUnit unit) throws InterruptedException {
        running = false;
        listener.close();
        acceptor.interrupt();
        acceptor.join(unit.toMillis(timeout));
        workers.shutdown();
        refusals.shutdown();
        workers.awaitTermination(timeout, unit);
        refusals.awaitTermination(timeout, unit);
    }

    @Override
    public void close() {
        try {
            close(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** For tests and monitoring: is the server's accepting thread alive? */
    public boolean isRunning() {
        return running && acceptor.isAlive();
    }

}
