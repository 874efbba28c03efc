package org.fusionmpc.samples.cli;

import org.fusionmpc.semihonest.ComparisonMode;
import picocli.CommandLine.ITypeConverter;

/** {@code --comparison gc|ot}. */
final class ComparisonModeConverter implements ITypeConverter<ComparisonMode> {
    @Override
    public ComparisonMode convert(String value) {
        return ComparisonMode.parse(value);
    }
}
