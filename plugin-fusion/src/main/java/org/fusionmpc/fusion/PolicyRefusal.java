package org.fusionmpc.fusion;

/**
 * The client refused a session by its own policy before computing anything: the server's claim is below the
 * client's floor, the targets would need more slots than the client's cap, or the server's answer to the
 * session's first messages cannot be checked. Like a {@code REJECT}, it ends the client's trust in that server
 * for these inputs; no private input has entered the computation.
 */
public final class PolicyRefusal extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public PolicyRefusal(String message) {
        super(message);
    }

    public PolicyRefusal(String message, Throwable cause) {
        super(message, cause);
    }
}
