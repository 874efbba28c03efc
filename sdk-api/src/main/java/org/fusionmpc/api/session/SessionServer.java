package org.fusionmpc.api.session;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
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
 * Serves sessions to many clients at once, so that strangers cannot starve it.
 *
 * <p>A connection goes through two phases. <b>Handshake</b>: TLS (where the listener has it) and the client's hello,
 * on a bounded pool, under one deadline for the whole phase ({@link Limits#handshakeDeadline}, 10 s by default),
 * however slowly the bytes arrive: a watchdog closes the socket when it passes. At most {@link Limits#maxHandshakes}
 * connections are in this phase at once and at most {@link Limits#maxHandshakesPerSource} from one address; a
 * connection past either bound is closed at once, before any TLS work. <b>Session</b>: only a connection whose
 * hello checked out takes one of the {@code maxSessions} slots; if none frees within {@value #GRACE_MILLIS} ms it is
 * refused in place of the server's hello ({@link Handshake#refuseBusy}: the client sees a
 * {@link ChannelException.Kind#REFUSED} error naming the limit) and closed. A session is bounded by the channel's
 * idle timeout and, optionally, by a whole-session deadline. A session that fails is counted and logged; the
 * others and the server go on. Accept errors (say, out of descriptors) back off up to a second instead of spinning.
 */
public final class SessionServer implements AutoCloseable {

    /** What one session does on its channel; throwing ends that session only. */
    @FunctionalInterface
    public interface Handler {
        void serve(Channel channel) throws Exception;
    }

    /**
     * Bounds on what a connection may hold before and during its session.
     *
     * @param handshakeDeadline      TCP accept to a checked hello, TLS included
     * @param maxHandshakes          connections in the handshake phase at once
     * @param maxHandshakesPerSource of them from one source address
     * @param sessionDeadline        a whole session's bound, or null for none (the idle timeout still applies)
     */
    public record Limits(Duration handshakeDeadline, int maxHandshakes, int maxHandshakesPerSource, Duration sessionDeadline) {

        public Limits {
            Objects.requireNonNull(handshakeDeadline, "handshakeDeadline");
            if (handshakeDeadline.isNegative() || handshakeDeadline.isZero() || maxHandshakes < 1 || maxHandshakesPerSource < 1
                    || sessionDeadline != null && (sessionDeadline.isNegative() || sessionDeadline.isZero())) {
                throw new IllegalArgumentException("limits must be positive: " + handshakeDeadline + ", " + maxHandshakes + ", "
                        + maxHandshakesPerSource + ", " + sessionDeadline);
            }
        }

        /** 10 s to a checked hello; 4 handshakes per session slot (at least 16), half of them from one address; no session deadline. */
        public static Limits defaults(int maxSessions) {
            int handshakes = Math.max(16, 4 * maxSessions);
            return new Limits(Duration.ofSeconds(10), handshakes, handshakes / 2, null);
        }

        public Limits withHandshakeDeadline(Duration d) {
            return new Limits(d, maxHandshakes, maxHandshakesPerSource, sessionDeadline);
        }

        public Limits withHandshakes(int total, int perSource) {
            return new Limits(handshakeDeadline, total, perSource, sessionDeadline);
        }

        public Limits withSessionDeadline(Duration d) {
            return new Limits(handshakeDeadline, maxHandshakes, maxHandshakesPerSource, d);
        }
    }

    /** How long a client whose hello checked out waits for a free slot before it is refused. */
    public static final long GRACE_MILLIS = 500;

    private final Listener listener;
    private final int maxSessions;
    private final Limits limits;
    private final Handler handler;
    private final Consumer<String> log;
    private final Semaphore slots;
    private final ThreadPoolExecutor handshakes;
    private final ThreadPoolExecutor workers;
    private final ScheduledThreadPoolExecutor watchdogs;
    private final Thread acceptor;
    private final AtomicInteger handshaking = new AtomicInteger();
    private final ConcurrentHashMap<String, AtomicInteger> perSource = new ConcurrentHashMap<>();
    private final AtomicLong served = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicLong refused = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicInteger ids = new AtomicInteger();
    private final AtomicLong sessionIds = new AtomicLong();
    private volatile boolean running = true;

    private SessionServer(Listener listener, int maxSessions, Limits limits, Handler handler, Consumer<String> log) {
        if (maxSessions < 1) {
            throw new IllegalArgumentException("a server needs at least one session slot, got " + maxSessions);
        }
        this.listener = Objects.requireNonNull(listener, "listener");
        this.maxSessions = maxSessions;
        this.limits = Objects.requireNonNull(limits, "limits");
        this.handler = Objects.requireNonNull(handler, "handler");
        this.log = Objects.requireNonNull(log, "log");
        this.slots = new Semaphore(maxSessions);
        // Admission is counted on the accepting thread, so the handshake queue never holds more than the bound.
        this.handshakes = new ThreadPoolExecutor(limits.maxHandshakes(), limits.maxHandshakes(), 30, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), r -> daemon(r, "handshake-" + ids.incrementAndGet()));
        this.handshakes.allowCoreThreadTimeOut(true);
        this.workers = new ThreadPoolExecutor(maxSessions, maxSessions, 30, TimeUnit.SECONDS, new ArrayBlockingQueue<>(maxSessions),
                r -> daemon(r, "session-" + ids.incrementAndGet()));
        this.workers.allowCoreThreadTimeOut(true);
        this.watchdogs = new ScheduledThreadPoolExecutor(1, r -> daemon(r, "session-watchdog"));
        this.watchdogs.setRemoveOnCancelPolicy(true);
        this.acceptor = daemon(this::acceptLoop, "session-acceptor");
    }

    /** Starts serving on {@code listener} with {@link Limits#defaults}; {@link #close()} stops. */
    public static SessionServer start(Listener listener, int maxSessions, Handler handler, Consumer<String> log) {
        return start(listener, maxSessions, Limits.defaults(maxSessions), handler, log);
    }

    /** Starts serving on {@code listener} within {@code limits}; {@link #close()} stops. */
    public static SessionServer start(Listener listener, int maxSessions, Limits limits, Handler handler, Consumer<String> log) {
        SessionServer s = new SessionServer(listener, maxSessions, limits, handler, log);
        s.acceptor.start();
        return s;
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    private void acceptLoop() {
        long backoff = 0;
        long lastLog = 0;
        while (running) {
            Listener.Pending pending;
            try {
                pending = listener.acceptPending();
                backoff = 0;
            } catch (ChannelException e) {
                if (!running) {
                    return;
                }
                if (e.kind() == ChannelException.Kind.TIMEOUT) {
                    continue;
                }
                // Out of descriptors, say: every retry fails at once, so wait, longer each time, and log once a second.
                backoff = Math.min(1000, Math.max(10, backoff * 2));
                long now = System.nanoTime();
                if (now - lastLog > TimeUnit.SECONDS.toNanos(1)) {
                    log.accept("accept failed (retrying in up to " + backoff + " ms): " + e.getMessage());
                    lastLog = now;
                }
                try {
                    Thread.sleep(backoff);
                } catch (InterruptedException ie) {
                    return;
                }
                continue;
            }
            String source = pending.source();
            AtomicInteger fromSource = perSource.computeIfAbsent(source, k -> new AtomicInteger());
            if (handshaking.incrementAndGet() > limits.maxHandshakes() | fromSource.incrementAndGet() > limits.maxHandshakesPerSource()) {
                release(source, fromSource);
                dropped.incrementAndGet();
                pending.abandon(); // closed at once: no TLS work for a connection past the bounds
                continue;
            }
            handshakes.execute(() -> handshake(pending, source, fromSource));
        }
    }

    private void release(String source, AtomicInteger fromSource) {
        handshaking.decrementAndGet();
        if (fromSource.decrementAndGet() == 0) {
            perSource.remove(source, fromSource);
        }
    }

    private void handshake(Listener.Pending pending, String source, AtomicInteger fromSource) {
        long id = sessionIds.incrementAndGet();
        java.util.concurrent.atomic.AtomicBoolean late = new java.util.concurrent.atomic.AtomicBoolean();
        ScheduledFuture<?> watchdog = watchdogs.schedule(() -> {
            late.set(true); // read by the handshake thread once the closed socket makes it fail
            pending.abandon();
        }, limits.handshakeDeadline().toMillis(), TimeUnit.MILLISECONDS);
        Channel ch;
        byte[] hello;
        try {
            ch = pending.open();
            hello = Handshake.readHello(ch);
            if (!watchdog.cancel(false)) {
                throw new ChannelException(ChannelException.Kind.TIMEOUT, "deadline");
            }
        } catch (RuntimeException e) {
            watchdog.cancel(false);
            pending.abandon();
            failed.incrementAndGet();
            log.accept("session " + id + " failed: " + (late.get() ? "no checked hello within the handshake deadline of "
                    + limits.handshakeDeadline().toMillis() + " ms (" + e.getMessage() + ")" : describe(e)));
            return;
        } finally {
            release(source, fromSource);
        }
        boolean slot;
        try {
            // A session that just answered its client may still be closing: wait a moment before refusing.
            slot = slots.tryAcquire(GRACE_MILLIS, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            ch.close();
            return;
        }
        if (!slot) {
            refused.incrementAndGet();
            Handshake.refuseBusy(ch, maxSessions);
            return;
        }
        Channel session = Handshake.replaying(ch, hello);
        try {
            workers.execute(() -> run(session, pending, id));
        } catch (RuntimeException e) { // rejected: the server is closing
            slots.release();
            session.close();
        }
    }

    private void run(Channel ch, Listener.Pending pending, long id) {
        ScheduledFuture<?> deadline = limits.sessionDeadline() == null ? null
                : watchdogs.schedule(pending::abandon, limits.sessionDeadline().toMillis(), TimeUnit.MILLISECONDS);
        try (ch) {
            handler.serve(ch);
            served.incrementAndGet();
        } catch (Exception | Error e) {
            pending.abandon();
            failed.incrementAndGet();
            boolean expired = deadline != null && deadline.isDone() && !deadline.isCancelled();
            log.accept("session " + id + " failed: " + (expired ? "past the session deadline of " + limits.sessionDeadline().toMillis()
                    + " ms (" + e.getMessage() + ")" : describe(e)));
        } finally {
            if (deadline != null) {
                deadline.cancel(false);
            }
            slots.release();
        }
    }

    /** The exception's message, with its class where the message alone would not say what went wrong. */
    private static String describe(Throwable e) {
        String m = e.getMessage();
        return e instanceof ChannelException ? m : e.getClass().getSimpleName() + (m == null ? "" : ": " + m);
    }

    /** Sessions that completed without error. */
    public long served() {
        return served.get();
    }

    /** Connections that ended in an error, in the handshake phase or in their session. */
    public long failed() {
        return failed.get();
    }

    /** Clients turned away because every slot was busy. */
    public long refused() {
        return refused.get();
    }

    /** Connections closed at once because too many were in the handshake phase (overall or from their address). */
    public long dropped() {
        return dropped.get();
    }

    /** Sessions running now. */
    public int active() {
        return maxSessions - slots.availablePermits();
    }

    /** Connections in the handshake phase now. */
    public int handshaking() {
        return handshaking.get();
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
        handshakes.shutdown();
        workers.shutdown();
        handshakes.awaitTermination(timeout, unit);
        workers.awaitTermination(timeout, unit);
        watchdogs.shutdownNow();
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
