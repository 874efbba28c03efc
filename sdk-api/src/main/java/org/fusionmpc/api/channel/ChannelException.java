package org.fusionmpc.api.channel;

import org.fusionmpc.api.SdkException;

/** A channel failed; {@link #kind()} says how, the message says what happened in words a user can act on. */
public class ChannelException extends SdkException {

    /** What went wrong, for callers (and tests) that react to the cause rather than parse the message. */
    public enum Kind {
        /** The peer sent nothing (or read nothing) for longer than the configured timeout. */
        TIMEOUT,
        /** The peer closed the connection, possibly in the middle of a frame. */
        PEER_CLOSED,
        /** A frame header announced more bytes than the configured bound. */
        FRAME_TOO_LARGE,
        /** A message's length differs from the length the receiver expects or allows. */
        MESSAGE_SIZE,
        /** The peer's bytes do not follow the framing or the handshake. */
        PROTOCOL,
        /** The server turned the session away (all its session slots are busy). */
        REFUSED,
        /** Protocol name or version differ between the parties. */
        HANDSHAKE,
        /** TLS failed: handshake, certificate, or pinning. */
        TLS,
        /** This side used a channel it (or an earlier failure) had already closed. */
        CLOSED,
        /** Connecting or accepting failed. */
        CONNECT,
        /** Any other I/O failure of the transport. */
        IO
    }

    private final Kind kind;

    public ChannelException(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public ChannelException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
