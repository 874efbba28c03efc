package org.fusionmpc.semihonest;

import org.fusionmpc.api.SdkException;

/** A model that cannot be used: not ONNX, truncated, an unsupported operator or attribute, bad weights or shapes. */
public class ModelException extends SdkException {

    public ModelException(String message) {
        super(message);
    }

    public ModelException(String message, Throwable cause) {
        super(message, cause);
    }
}
