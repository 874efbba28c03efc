package org.fusionmpc.semihonest;

import java.util.function.Consumer;
import org.fusionmpc.api.channel.Channel;
import org.fusionmpc.api.session.Role;
import org.fusionmpc.api.session.Session;

/** The client of semi-honest secure inference: sends nothing but OT and garbling traffic, learns labels or logits. */
public final class InferenceClient {

    private final OutputMode mode;

    public InferenceClient(OutputMode mode) {
        this.mode = mode;
    }

    public OutputMode mode() {
        return mode;
    }

    /** One session over a batch of inputs (each the model's input shape, flattened row-major). */
    public InferenceResult classify(Channel channel, double[][] inputs, Consumer<String> progress) {
        if (inputs.length == 0) {
            throw new IllegalArgumentException("no inputs to classify");
        }
        Session.open(channel, Role.CLIENT, SemiHonestProvider.ID);
        return SecureRunner.classify(channel, inputs, mode, progress);
    }

    public InferenceResult classify(Channel channel, double[][] inputs) {
        return classify(channel, inputs, s -> { });
    }
}
