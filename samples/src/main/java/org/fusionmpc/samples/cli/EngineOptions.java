package org.fusionmpc.samples.cli;

import org.fusionmpc.semihonest.ComparisonMode;
import org.fusionmpc.semihonest.LinearMode;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;

/** {@code --linear}, {@code --comparison}, {@code --ot}, {@code --ot-k} and {@code --ring-bits}: the engines a client picks per session (client, demo, bench). */
final class EngineOptions {

    @Option(names = "--linear", defaultValue = "he", converter = LinearConverter.class,
            description = "The linear-layer engine: he (RLWE, Cheetah's encoding) or ot (Gilboa products by OT) (default: ${DEFAULT-VALUE}).")
    LinearMode linear;

    @Option(names = "--comparison", defaultValue = "ot", converter = ComparisonConverter.class,
            description = "The ReLU/max-pool/argmax engine: ot (millionaires' comparison by OT) or gc (garbled circuits) (default: ${DEFAULT-VALUE}).")
    ComparisonMode comparison;

    @Option(names = "--ot-k", defaultValue = "auto", converter = OtKConverter.class,
            description = "SoftSpokenOT's k for the session's OT extensions: 1 (IKNP), 2, 4, 8, or auto (8 for networks of a "
                    + "million ReLUs or more, else 4); 128/k bits per OT on the wire for about 2^k/k AES blocks of work "
                    + "(default: ${DEFAULT-VALUE}).")
    int otK;

    @Option(names = "--ot", defaultValue = "auto", paramLabel = "EXTENSION",
            description = "The session's OT extension: silent (Ferret, about 0.45 bits per OT after a setup of about 1.2 MB), "
                    + "softspoken (SoftSpokenOT, 128/k bits per OT), or auto: silent from 16,384 ReLUs in the batch, where it "
                    + "sends fewer bytes (default: ${DEFAULT-VALUE}).")
    String ot;

    /** The requested extension, {@code null} for automatic; checked before connecting. */
    org.fusionmpc.ot.OtExtension ot() {
        return org.fusionmpc.semihonest.InferenceClient.parseOt(ot);
    }

    @Option(names = "--ring-bits", defaultValue = "0", paramLabel = "L",
            description = "ℓ of the shares, the bits every share, OT message and ciphertext-derived share takes on the wire: "
                    + "32..41 with --linear he (37 if not given), 64 with ot.")
    int ringBits;

    /** ℓ for the session: the engine's default unless given; checked against the engine. */
    int ringBits() {
        return linear.ringBits(ringBits);
    }

    static final class OtKConverter implements ITypeConverter<Integer> {
        @Override
        public Integer convert(String value) {
            return org.fusionmpc.semihonest.InferenceClient.parseOtK(value);
        }
    }

    static final class LinearConverter implements ITypeConverter<LinearMode> {
        @Override
        public LinearMode convert(String value) {
            return LinearMode.parse(value);
        }
    }

    static final class ComparisonConverter implements ITypeConverter<ComparisonMode> {
        @Override
        public ComparisonMode convert(String value) {
            return ComparisonMode.parse(value);
        }
    }
}
