package org.fusionmpc.samples.cli;

import java.io.IOException;
import java.nio.file.Path;

/** The client's image reader, for tests in other packages. */
public final class ImageReaderAccess {

    private ImageReaderAccess() {
    }

    public static double[] read(Path file) throws IOException {
        return ClientCommand.readImage(file);
    }
}
