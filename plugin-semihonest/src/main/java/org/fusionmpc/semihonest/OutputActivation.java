package org.fusionmpc.semihonest;

/**
 * What a model applies after its last layer that does not change the label: nothing, a softmax or a log-softmax
 * over the classes (what PyTorch models such as the pytorch/examples MNIST network end in). Secure inference stops
 * at the logits; for labels this changes nothing (the function keeps the order), and for logits the client applies
 * it in the clear to what it received.
 */
public enum OutputActivation {
    NONE, SOFTMAX, LOG_SOFTMAX;

    /** {@code logits} → the model's outputs (in place), numerically stable (the maximum subtracted first). */
    public double[] apply(double[] logits) {
        if (this == NONE || logits.length == 0) {
            return logits;
        }
        double max = Double.NEGATIVE_INFINITY;
        for (double v : logits) {
            max = Math.max(max, v);
        }
        double sum = 0;
        for (double v : logits) {
            sum += Math.exp(v - max);
        }
        double logSum = max + Math.log(sum);
        for (int i = 0; i < logits.length; i++) {
            logits[i] = this == LOG_SOFTMAX ? logits[i] - logSum : Math.exp(logits[i] - logSum);
        }
        return logits;
    }
}
