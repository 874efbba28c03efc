package org.fusionmpc.api.session;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import org.fusionmpc.api.channel.Channel;
import org.fusionmpc.api.channel.ChannelException;

/**
 * The first exchange on every connection: each side sends a hello (magic, wire-format version, protocol name
 * and version) and checks the peer's. Both sides send before either reads, so both learn of a mismatch and
 * both report it naming the two protocols. A peer that is not an SDK endpoint at all is caught by the magic
 * and by the small bound on the hello's size.
 */
public final class Handshake {

    /** "FMPC": four bytes that open every hello. */
    public static final int MAGIC = 0x43504D46;
    /** Version of the framing and hello format itself, independent of any protocol's version. */
    public static final int WIRE_VERSION = 1;

    /** The protocol name of a refusal hello: the server is full; its version field carries the session limit. */
    static final String BUSY = "!busy";

    private static final int FIXED_BYTES = 4 + 2 + 4 + 2;
    private static final int MAX_HELLO_BYTES = FIXED_BYTES + ProtocolId.MAX_NAME_BYTES;

    private Handshake() {
    }

    /**
     * Turns a client away in place of a hello: it reads this as a {@link ChannelException.Kind#REFUSED} error
     * that states the server's limit. Sends, flushes and closes; never throws.
     */
    public static void refuseBusy(Channel channel, int sessionLimit) {
        try {
            channel.send(hello(BUSY, sessionLimit));
            channel.flush();
        } catch (RuntimeException ignored) {
            // the client left already; nothing to tell it
        } finally {
            channel.close();
        }
    }

    private static byte[] hello(String protocol, int version) {
        byte[] name = protocol.getBytes(StandardCharsets.UTF_8);
        ByteBuffer hello = ByteBuffer.allocate(FIXED_BYTES + name.length).order(ByteOrder.LITTLE_ENDIAN);
        hello.putInt(MAGIC).putShort((short) WIRE_VERSION).putInt(version).putShort((short) name.length).put(name);
        return hello.array();
    }

    /** Exchanges hellos; returns the peer's protocol id, which equals {@code local}, or throws. */
    public static ProtocolId exchange(Channel channel, ProtocolId local) {
        channel.send(hello(local.name(), local.version()));
        channel.flush();

        byte[] received;
        try {
            received = channel.receiveBytes(MAX_HELLO_BYTES);
        } catch (ChannelException e) {
            if (e.kind() == ChannelException.Kind.FRAME_TOO_LARGE || e.kind() == ChannelException.Kind.MESSAGE_SIZE
                    || e.kind() == ChannelException.Kind.PROTOCOL) {
                throw mismatch(channel, "the peer's first message is not an SDK hello (" + e.getMessage()
                        + "); is it speaking another protocol, or plain TCP to TLS?", e);
            }
            throw e;
        }
        ByteBuffer peer = ByteBuffer.wrap(received).order(ByteOrder.LITTLE_ENDIAN);
        if (received.length < FIXED_BYTES || peer.getInt() != MAGIC) {
            throw mismatch(channel, "the peer's first message is not an SDK hello (starts "
                    + HexFormat.of().formatHex(received, 0, Math.min(8, received.length)) + ")", null);
        }
        int wire = Short.toUnsignedInt(peer.getShort());
        int version = peer.getInt();
        int nameLength = Short.toUnsignedInt(peer.getShort());
        if (wire != WIRE_VERSION) {
            throw mismatch(channel, "wire format mismatch: this side speaks v" + WIRE_VERSION + ", the peer v" + wire, null);
        }
        if (nameLength != received.length - FIXED_BYTES || nameLength == 0 || version < 0) {
            throw mismatch(channel, "the peer's hello is malformed (" + received.length + " bytes)", null);
        }
        String remoteName = new String(received, FIXED_BYTES, nameLength, StandardCharsets.UTF_8);
        if (remoteName.equals(BUSY)) {
            channel.close();
            throw new ChannelException(ChannelException.Kind.REFUSED, "the server is busy: all of its " + version
                    + " session slots are in use; try again later");
        }
        ProtocolId remote = new ProtocolId(remoteName, version);
        if (!remote.equals(local)) {
            throw mismatch(channel, "protocol mismatch: this side speaks " + local + ", the peer speaks " + remote, null);
        }
        return remote;
    }

    private static ChannelException mismatch(Channel channel, String message, Throwable cause) {
        channel.close();
        return new ChannelException(ChannelException.Kind.HANDSHAKE, message, cause);
    }
}
