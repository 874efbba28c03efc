package org.fusionmpc.inference;

import java.util.List;

/**
 * What a client gets from a session: the labels (and logits, where asked for and allowed), the protocol's verdict,
 * and its cost. Under {@link Check#REJECTED} no private result is given: {@code labels} is empty.
 *
 * @param labels one label per input; empty when the session was rejected
 * @param logits one row per input, or null when only labels were asked for
 * @param check whether and how the answers were checked
 * @param failures why a check failed, in words; empty otherwise
 * @param report the protocol's machine-readable report (JSON), or null if it has none
 */
public record Answer(int[] labels, double[][] logits, Check check, List<String> failures, String report, long nanos, long bytesSent,
                     long bytesReceived) {

    /** How far the answers are verified. */
    public enum Check {
        /** The protocol does not check the server (semi-honest: correct if the server follows the protocol). */
        NOT_CHECKED,
        /** The server passed the protocol's checks. */
        ACCEPTED,
        /** The server failed them: no answer is given, and the server must not be trusted again. */
        REJECTED
    }

    public Answer {
        labels = labels == null ? new int[0] : labels.clone();
        failures = List.copyOf(failures);
    }

    /** Whether answers were given: not rejected. */
    public boolean answered() {
        return check != Check.REJECTED;
    }
}
