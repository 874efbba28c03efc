package org.fusionmpc.inference;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The client's options. Unset values take the protocol's defaults; a value the protocol does not take (logits under
 * Fusion, which checks labels; a public set under {@code semi-honest}) is refused when the party is made.
 *
 * @param logits reveal the logits, not only the labels ({@code semi-honest} only)
 * @param linear the linear-layer engine, {@code he} or {@code ot}, or null for the default
 * @param comparison the comparison engine, {@code ot} or {@code gc}, or null for the default
 * @param threads threads for this side's OT and comparisons, or 0 for the default
 * @param publicSet Fusion's labelled check set ({@code mnist-test-500}, {@code mnist-test}, or files as
 *     {@code LabelledSet.read} takes them), or null for the default
 * @param shortfall Fusion: the accuracy drop below the claim to detect, or null for the default
 * @param falseAlarm Fusion: the largest probability of rejecting an honest server, or null for the default
 * @param miss Fusion: the largest probability that a model {@code shortfall} below its claim passes, or null
 * @param minAccuracy Fusion: refuse a server claiming less, or null for the default
 */
public record ClientOptions(boolean logits, String linear, String comparison, int threads, String publicSet, Double shortfall,
                            Double falseAlarm, Double miss, Double minAccuracy) {

    public ClientOptions {
        if (threads < 0) {
            throw new IllegalArgumentException("threads are positive, or 0 for the default");
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The defaults of the protocol the client is made for. */
    public static ClientOptions defaults() {
        return builder().build();
    }

    /** The options as the plugin SPI's string map (what {@code ProtocolProvider.newClient} takes). */
    public Map<String, String> asMap() {
        Map<String, String> m = new LinkedHashMap<>();
        if (logits) {
            m.put("output", "logits");
        }
        put(m, "linear", linear);
        put(m, "comparison", comparison);
        if (threads > 0) {
            m.put("threads", Integer.toString(threads));
        }
        put(m, "public-set", publicSet);
        put(m, "shortfall", shortfall);
        put(m, "false-alarm", falseAlarm);
        put(m, "miss", miss);
        put(m, "min-accuracy", minAccuracy);
        return m;
    }

    private static void put(Map<String, String> m, String key, Object value) {
        if (value != null) {
            m.put(key, value.toString());
        }
    }

    /** Builds {@link ClientOptions}. */
    public static final class Builder {
        private boolean logits;
        private String linear;
        private String comparison;
        private int threads;
        private String publicSet;
        private Double shortfall;
        private Double falseAlarm;
        private Double miss;
        private Double minAccuracy;

        private Builder() {
        }

        public Builder logits(boolean reveal) {
            this.logits = reveal;
            return this;
        }

        public Builder linear(String engine) {
            this.linear = engine;
            return this;
        }

        public Builder comparison(String engine) {
            this.comparison = engine;
            return this;
        }

        public Builder threads(int count) {
            this.threads = count;
            return this;
        }

        public Builder publicSet(String set) {
            this.publicSet = set;
            return this;
        }

        /** Fusion's accuracy test: detect a model {@code shortfall} below its claim, missing it with probability at most {@code miss}. */
        public Builder accuracyTest(double shortfall, double falseAlarm, double miss) {
            this.shortfall = shortfall;
            this.falseAlarm = falseAlarm;
            this.miss = miss;
            return this;
        }

        public Builder minAccuracy(double floor) {
            this.minAccuracy = floor;
            return this;
        }

        public ClientOptions build() {
            return new ClientOptions(logits, linear, comparison, threads, publicSet, shortfall, falseAlarm, miss, minAccuracy);
        }
    }
}
