package org.fusionmpc.fusion;

/** The outcome of a Fusion session. */
public enum Verdict {
    /** Every check passed: the private results are returned. */
    ACCEPT,
    /** A check failed: no private result is returned, and the client should stop trusting this server. */
    REJECT
}
