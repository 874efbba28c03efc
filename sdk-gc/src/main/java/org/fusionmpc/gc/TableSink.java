package org.fusionmpc.gc;

/** Where a garbler's tables go, a gate batch at a time; {@code channel::send} is the usual one. */
@FunctionalInterface
public interface TableSink {
    void write(long[] tables, int offset, int length);
}
