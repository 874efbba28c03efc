package org.fusionmpc.semihonest;

import java.util.List;

/**
 * The client's result of one session over a batch: the label of each input, the logits when asked for
 * ({@link OutputMode#LOGITS}; otherwise null), the wall time, and the traffic per phase and in total as the
 * client's channel counted it. A label is {@link #NO_CLASS} where the argmax decoded from the shares is no class
 * of the model, which only a server that deviates from the protocol can cause.
 */
public record InferenceResult(int[] labels, double[][] logits, long nanos, List<PhaseStats> phases,
                              long bytesSent, long bytesReceived, long rounds) {

    /** The label of an input whose decoded argmax was out of range. */
    public static final int NO_CLASS = -1;
}
