package org.fusionmpc.semihonest;

/** What the client learns: only the label (argmax inside the computation, the default) or the logits. */
public enum OutputMode {
    LABEL,
    LOGITS
}
