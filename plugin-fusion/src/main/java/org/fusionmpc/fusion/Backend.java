package org.fusionmpc.fusion;

import java.util.Map;
import org.fusionmpc.api.spi.PartyOptions;
import org.fusionmpc.api.spi.ProtocolProvider;
import org.fusionmpc.api.spi.Protocols;
import org.fusionmpc.semihonest.InferenceClient;
import org.fusionmpc.semihonest.ComparisonMode;
import org.fusionmpc.semihonest.LinearMode;
import org.fusionmpc.semihonest.InferenceServer;

/** The semi-honest backend, found by name in the plugin registry. */
final class Backend {

    static final String NAME = "semi-honest";

    private Backend() {
    }

    static ProtocolProvider<InferenceClient, InferenceServer> provider() {
        return Protocols.byName(NAME, InferenceClient.class, InferenceServer.class);
    }

    /**
     * A label-only client: Fusion checks labels, and a curious client learns the least it can. Batch packing off,
     * always: packed slots would share polynomials and one key, which a malicious server could combine, and every
     * Fusion slot must stay under its own key for the checks to mean anything.
     */
    static InferenceClient labelClient(LinearMode linear, ComparisonMode comparison, int otK, int threads, int ringBits) {
        return provider().newClient(PartyOptions.of(Map.of("output", "label", "linear", linear.id(), "comparison", comparison.id(),
                "ot-k", otK == InferenceClient.AUTO_OT_K ? "auto" : Integer.toString(otK), "threads", Integer.toString(threads),
                "ring-bits", Integer.toString(ringBits), "batch-packing", "off")));
    }
}
