package org.fusionmpc.semihonest;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Set;
import org.fusionmpc.api.session.ProtocolId;
import org.fusionmpc.api.spi.PartyOptions;
import org.fusionmpc.api.spi.ProtocolProvider;
import org.fusionmpc.ring.FixedPoint;

/**
 * The {@code semi-honest} plugin: two-party inference secure against a semi-honest server and client.
 * Server options: {@code model} (an ONNX file, required), {@code fraction-bits} (default 12),
 * {@code max-batch} (default 4096), {@code allow-logits} (default true), {@code threads} (for RLWE products,
 * default 2). Client options: {@code output}
 * ({@code label}, the default, or {@code logits}), {@code linear} ({@code he}, the default, or {@code ot};
 * see {@link LinearMode}) and {@code comparison} ({@code ot}, the default, or {@code gc}; see
 * {@link ComparisonMode}), {@code ot} ({@code auto}, the default, {@code silent} or {@code softspoken}; see
 * {@link InferenceClient#withOt}), {@code ot-k} ({@code auto} or 1, 2, 4, 8) and {@code threads} (for the OT extensions
 * and the comparisons' batches, default 1; the wire does not depend on it) and {@code ring-bits} (ℓ of the shares:
 * 32..41 for {@code he}, 37 by default; 64 for {@code ot}).
 */
public final class SemiHonestProvider implements ProtocolProvider<InferenceClient, InferenceServer>, org.fusionmpc.inference.Inference {

    public static final String NAME = "semi-honest";
    static final ProtocolId ID = new ProtocolId(NAME, 9); // 8: strided RLWE convolutions send only the phases their kernel reaches; 9: scale steps

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public int version() {
        return ID.version();
    }

    @Override
    public String description() {
        return "semi-honest two-party inference of ONNX models (RLWE or OT linear layers; ReLU/max-pool/argmax by OT or garbled circuits)";
    }

    @Override
    public Class<InferenceClient> clientType() {
        return InferenceClient.class;
    }

    @Override
    public Class<InferenceServer> serverType() {
        return InferenceServer.class;
    }

    @Override
    public InferenceClient newClient(PartyOptions options) {
        options.requireOnly(Set.of("output", "linear", "comparison", "ot-k", "ot", "threads", "ring-bits", "batch-packing"));
        String out = options.get("output", "label").toLowerCase(Locale.ROOT);
        LinearMode linear = LinearMode.parse(options.get("linear", LinearMode.DEFAULT.id()));
        ComparisonMode cmp = ComparisonMode.parse(options.get("comparison", ComparisonMode.DEFAULT.id()));
        int otK = InferenceClient.parseOtK(options.get("ot-k", "auto"));
        org.fusionmpc.ot.OtExtension ot = InferenceClient.parseOt(options.get("ot", "auto"));
        int threads = options.getInt("threads", 1);
        int bits = options.getInt("ring-bits", 0);
        String packing = options.get("batch-packing", "on").toLowerCase(Locale.ROOT);
        if (!packing.equals("on") && !packing.equals("off")) {
            throw new IllegalArgumentException("option 'batch-packing' must be on or off, got '" + packing + "'");
        }
        return switch (out) {
            case "label" -> new InferenceClient(OutputMode.LABEL, linear, cmp).withOtK(otK).withOt(ot).withThreads(threads).withRingBits(bits)
                    .withBatchPacking(packing.equals("on"));
            case "logits" -> new InferenceClient(OutputMode.LOGITS, linear, cmp).withOtK(otK).withOt(ot).withThreads(threads).withRingBits(bits)
                    .withBatchPacking(packing.equals("on"));
            default -> throw new IllegalArgumentException("option 'output' must be label or logits, got '" + out + "'");
        };
    }

    @Override
    public InferenceServer newServer(PartyOptions options) {
        options.requireOnly(Set.of("model", "fraction-bits", "max-batch", "allow-logits", "threads"));
        Network net = OnnxImporter.load(Path.of(options.require("model")));
        String logits = options.get("allow-logits", "true");
        if (!logits.equals("true") && !logits.equals("false")) {
            throw new IllegalArgumentException("option 'allow-logits' must be true or false, got '" + logits + "'");
        }
        return new InferenceServer(net, new FixedPoint(options.getInt("fraction-bits", FixedPoint.DEFAULT_FRACTION_BITS)),
                options.getInt("max-batch", 4096), Boolean.parseBoolean(logits))
                .withThreads(options.getInt("threads", org.fusionmpc.he.HeLinearEngine.DEFAULT_THREADS));
    }

    @Override
    public org.fusionmpc.inference.Inference.Server server(org.fusionmpc.inference.ServerOptions options) {
        InferenceServer server = newServer(PartyOptions.of(options.asMap()));
        return server::serve;
    }

    @Override
    public org.fusionmpc.inference.Inference.Client client(org.fusionmpc.inference.ClientOptions options) {
        // Batches are packed here: the server follows this protocol, so sharing one key across a batch is safe.
        InferenceClient client = newClient(PartyOptions.of(options.asMap()));
        return (channel, inputs, progress) -> {
            InferenceResult r = client.classify(channel, inputs, progress);
            return new org.fusionmpc.inference.Answer(r.labels(), r.logits(), org.fusionmpc.inference.Answer.Check.NOT_CHECKED,
                    java.util.List.of(), null, r.nanos(), r.bytesSent(), r.bytesReceived());
        };
    }
}
