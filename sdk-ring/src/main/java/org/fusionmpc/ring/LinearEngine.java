package org.fusionmpc.ring;

/**
 * Secure linear layers: the server holds the weights, both parties hold additive shares of the input, and
 * both get additive shares of M·x (no truncation; the caller truncates, see {@link Truncation}). Inputs and
 * outputs are batches of columns: column b of the input is {@code x[b·n, (b+1)·n)}, of the output
 * {@code y[b·m, (b+1)·m)}. The OT engine ({@link OtLinearEngine}) is the first implementation; an RLWE
 * engine can implement the same two methods using {@link LinearShape#geometry()}.
 */
public interface LinearEngine {

    /** The server's call: its share of M·x. Checks shapes before sending anything. */
    long[] server(LinearOperator m, long[] xShare, int batch);

    /** The client's call, with only the public shape: its share of M·x. Checks shapes before sending anything. */
    long[] client(LinearShape shape, long[] xShare, int batch);
}
