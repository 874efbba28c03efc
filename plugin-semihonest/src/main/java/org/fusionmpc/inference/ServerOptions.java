package org.fusionmpc.inference;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The server's options: its model, and what it allows. Unset values take the protocol's defaults; a value the
 * protocol does not take (a claimed accuracy for {@code semi-honest}) is refused when the party is made.
 *
 * @param model the ONNX model file
 * @param claimedAccuracy the accuracy the server claims on the public set (Fusion; required there), or null
 * @param threads threads for the server's RLWE products, or 0 for the default
 * @param maxBatch the most inputs one session may hold, or 0 for the default
 * @param allowLogits whether a client may ask for logits, not only labels
 */
public record ServerOptions(Path model, Double claimedAccuracy, int threads, int maxBatch, boolean allowLogits) {

    public ServerOptions {
        Objects.requireNonNull(model, "model");
        if (claimedAccuracy != null && !(claimedAccuracy > 0 && claimedAccuracy <= 1)) {
            throw new IllegalArgumentException("a claimed accuracy is in (0, 1], got " + claimedAccuracy);
        }
        if (threads < 0 || maxBatch < 0) {
            throw new IllegalArgumentException("threads and the batch cap are positive, or 0 for the default");
        }
    }

    public static Builder builder(Path model) {
        return new Builder(model);
    }

    /** The options as the plugin SPI's string map (what {@code ProtocolProvider.newServer} takes). */
    public Map<String, String> asMap() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("model", model.toString());
        if (claimedAccuracy != null) {
            m.put("claimed-accuracy", Double.toString(claimedAccuracy));
        }
        if (threads > 0) {
            m.put("threads", Integer.toString(threads));
        }
        if (maxBatch > 0) {
            m.put("max-batch", Integer.toString(maxBatch));
        }
        m.put("allow-logits", Boolean.toString(allowLogits));
        return m;
    }

    /** Builds {@link ServerOptions}; logits are refused unless allowed. */
    public static final class Builder {
        private final Path model;
        private Double claimedAccuracy;
        private int threads;
        private int maxBatch;
        private boolean allowLogits;

        private Builder(Path model) {
            this.model = model;
        }

        public Builder claimedAccuracy(double accuracy) {
            this.claimedAccuracy = accuracy;
            return this;
        }

        public Builder threads(int count) {
            this.threads = count;
            return this;
        }

        public Builder maxBatch(int inputs) {
            this.maxBatch = inputs;
            return this;
        }

        public Builder allowLogits(boolean allow) {
            this.allowLogits = allow;
            return this;
        }

        public ServerOptions build() {
            return new ServerOptions(model, claimedAccuracy, threads, maxBatch, allowLogits);
        }
    }
}
