package org.fusionmpc.api;

/** Base of every exception the SDK throws on purpose. Unchecked: protocol code cannot recover locally. */
public class SdkException extends RuntimeException {

    public SdkException(String message) {
        super(message);
    }

    public SdkException(String message, Throwable cause) {
        super(message, cause);
    }
}
