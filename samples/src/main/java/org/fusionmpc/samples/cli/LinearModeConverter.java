package org.fusionmpc.samples.cli;

import org.fusionmpc.semihonest.LinearMode;
import picocli.CommandLine.ITypeConverter;

/** {@code --linear ot|he}. */
final class LinearModeConverter implements ITypeConverter<LinearMode> {
    @Override
    public LinearMode convert(String value) {
        return LinearMode.parse(value);
    }
}
