package org.fusionmpc.samples.cli;

import org.fusionmpc.semihonest.ComparisonMode;
import org.fusionmpc.semihonest.LinearMode;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;

/** {@code --linear} and {@code --comparison}: the engines a client picks per session (client, demo, bench). */
final class EngineOptions {

    @Option(names = "--linear", defaultValue = "he", converter = LinearConverter.class,
            description = "The linear-layer engine: he (RLWE, Cheetah's encoding) or ot (Gilboa products by OT) (default: ${DEFAULT-VALUE}).")
    LinearMode linear;

    @Option(names = "--comparison", defaultValue = "ot", converter = ComparisonConverter.class,
            description = "The ReLU/max-pool/argmax engine: ot (millionaires' comparison by OT) or gc (garbled circuits) (default: ${DEFAULT-VALUE}).")
    ComparisonMode comparison;

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
