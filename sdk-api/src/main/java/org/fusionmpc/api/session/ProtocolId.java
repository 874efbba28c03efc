package org.fusionmpc.api.session;

import java.nio.charset.StandardCharsets;

/** A protocol's name and wire version, exchanged by both parties before anything else. */
public record ProtocolId(String name, int version) {

    /** Longest name in UTF-8 bytes; keeps the hello message small and its bound tight. */
    public static final int MAX_NAME_BYTES = 64;

    public ProtocolId {
        if (name == null || name.isEmpty() || name.getBytes(StandardCharsets.UTF_8).length > MAX_NAME_BYTES) {
            throw new IllegalArgumentException("a protocol name is 1 to " + MAX_NAME_BYTES + " bytes, got '" + name + "'");
        }
        if (version < 0) {
            throw new IllegalArgumentException("a protocol version is non-negative, got " + version);
        }
    }

    @Override
    public String toString() {
        return "'" + name + "' v" + version;
    }
}
