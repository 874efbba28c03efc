package org.fusionmpc.samples.cli;

import java.io.PrintStream;
import java.util.function.Consumer;

/** One progress line on standard error, rewritten in place ("\r"), ended by {@link #done()}. */
final class Progress implements Consumer<String> {

    private final PrintStream err;
    private final long start = System.nanoTime();
    private int width;

    Progress(PrintStream err) {
        this.err = err;
    }

    @Override
    public synchronized void accept(String step) {
        String line = String.format("  [%5.1f s] %s", (System.nanoTime() - start) / 1e9, step);
        err.print("\r" + line + " ".repeat(Math.max(0, width - line.length())));
        err.flush();
        width = line.length();
    }

    synchronized void done() {
        if (width > 0) {
            err.print("\r" + " ".repeat(width) + "\r");
            err.flush();
            width = 0;
        }
    }
}
