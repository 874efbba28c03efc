package org.fusionmpc.api.spi;

import org.fusionmpc.api.session.ProtocolId;

/**
 * A protocol plugin: registered in {@code META-INF/services/org.fusionmpc.api.spi.ProtocolProvider} and found
 * by name through {@link Protocols#byName}. It makes the two parties of its protocol; what a party can do
 * (classify an input, serve a model, ...) is the plugin's public API type {@code C} or {@code S}.
 *
 * @param <C> the client party's type
 * @param <S> the server party's type
 */
public interface ProtocolProvider<C, S> {

    /** The registry key, e.g. {@code "fusion"}: lower case, stable, and also the name in the handshake. */
    String name();

    /** The wire version; parties of different versions refuse each other at the handshake. */
    int version();

    /** One line for listings and error messages. */
    String description();

    Class<C> clientType();

    Class<S> serverType();

    /** A client configured by {@code options}; unknown or malformed options are an {@link IllegalArgumentException}. */
    C newClient(PartyOptions options);

    /** A server configured by {@code options}; unknown or malformed options are an {@link IllegalArgumentException}. */
    S newServer(PartyOptions options);

    default ProtocolId id() {
        return new ProtocolId(name(), version());
    }
}
