package org.fusionmpc.api.spi;

import org.fusionmpc.api.SdkException;

/** No provider (or no provider of the requested types) is registered under a name. */
public final class UnknownProtocolException extends SdkException {

    public UnknownProtocolException(String message) {
        super(message);
    }
}
