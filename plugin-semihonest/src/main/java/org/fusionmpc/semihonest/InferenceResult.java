package org.fusionmpc.semihonest;

import java.util.List;

/**
 * The client's result of one session over a batch: the label of each input, the logits when asked for
 * ({@link OutputMode#LOGITS}; otherwise null), the wall time, and the traffic per phase and in total as the
 * client's channel counted it.
 */
public record InferenceResult(int[] labels, double[][] logits, long nanos, List<PhaseStats> phases,
                              long bytesSent, long bytesReceived, long rounds) {
}
