package org.fusionmpc.gc;

/** Where an evaluator's tables come from, in exactly the pieces the garbler wrote; {@code channel::receive} usually. */
@FunctionalInterface
public interface TableSource {
    void read(long[] tables, int offset, int length);
}
