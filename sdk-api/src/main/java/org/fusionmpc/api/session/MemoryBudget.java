package org.fusionmpc.api.session;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Bytes of heap that concurrent sessions may reserve between them: a server admits a session only if its estimate
 * fits what is left, so a client cannot choose a batch that runs the server out of memory, and several clients
 * together cannot either.
 */
public final class MemoryBudget {

    private final long capacity;
    private final AtomicLong reserved = new AtomicLong();

    public MemoryBudget(long capacityBytes) {
        if (capacityBytes < 1) {
            throw new IllegalArgumentException("a memory budget must be positive, got " + capacityBytes + " bytes");
        }
        this.capacity = capacityBytes;
    }

    /** A fraction of this JVM's maximum heap (the rest is for the model, the JVM and what estimates miss). */
    public static MemoryBudget ofHeapFraction(double fraction) {
        if (!(fraction > 0 && fraction <= 1)) {
            throw new IllegalArgumentException("the heap fraction must be in (0, 1], got " + fraction);
        }
        return new MemoryBudget((long) (Runtime.getRuntime().maxMemory() * fraction));
    }

    /** A held share of the budget; closing it returns the bytes (once). */
    public final class Reservation implements AutoCloseable {
        private final long bytes;
        private boolean open = true;

        private Reservation(long bytes) {
            this.bytes = bytes;
        }

        public long bytes() {
            return bytes;
        }

        @Override
        public synchronized void close() {
            if (open) {
                open = false;
                reserved.addAndGet(-bytes);
            }
        }
    }

    /** Reserves {@code bytes} if they fit what is left, else returns null. */
    public Reservation tryReserve(long bytes) {
        if (bytes < 0) {
            throw new IllegalArgumentException("cannot reserve " + bytes + " bytes");
        }
        while (true) {
            long now = reserved.get();
            if (bytes > capacity - now) {
                return null;
            }
            if (reserved.compareAndSet(now, now + bytes)) {
                return new Reservation(bytes);
            }
        }
    }

    public long capacity() {
        return capacity;
    }

    public long reserved() {
        return reserved.get();
    }

    /** Bytes not reserved now. */
    public long free() {
        return capacity - reserved.get();
    }
}
