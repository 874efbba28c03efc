package org.fusionmpc.api.session;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import org.fusionmpc.api.channel.Channel;
import org.fusionmpc.api.channel.ChannelException;

/**
 * The first exchange on every connection: each side sends a hello (magic, wire-format version, protocol name
 * and version, and its role) and checks the peer's. Both sides send before either reads, so both learn of a mismatch
 * and both report it naming the two protocols, or the one role both claimed. A peer that is not an SDK endpoint at all is caught by the magic
 * and by the small bound on the hello's size.
 */
final class Handshake {

    /** "FMPC": four bytes that open every hello. */
    public static final int MAGIC = 0x43504D46;
    /** Version of the framing and hello format itself, independent of any protocol's version. */
    public static final int WIRE_VERSION = 2; // 2: the hello ends with the sender's role

    /** The protocol name of a refusal hello: the server is full; its version field carries the session limit. */
    static final String BUSY = "!busy";

    private static final int FIXED_BYTES = 4 + 2 + 4 + 2;
    private static final int MAX_HELLO_BYTES = FIXED_BYTES + ProtocolId.MAX_NAME_BYTES + 1;

    private Handshake() {
    }

    /**
     * Turns a client away in place of a hello: it reads this as a {@link ChannelException.Kind#REFUSED} error
     * that states the server's limit. Sends, flushes and closes; never throws.
     */
    public static void refuseBusy(Channel channel, int sessionLimit) {
        try {
            channel.send(hello(BUSY, sessionLimit, null));
            channel.flush();
        } catch (RuntimeException ignored) {
            // the client left already; nothing to tell it
        } finally {
            channel.close();
        }
    }

    /** The hello's last byte: 0 for a role not stated, else the role's ordinal + 1. */
    private static byte[] hello(String protocol, int version, Role role) {
        byte[] name = protocol.getBytes(StandardCharsets.UTF_8);
        ByteBuffer hello = ByteBuffer.allocate(FIXED_BYTES + name.length + 1).order(ByteOrder.LITTLE_ENDIAN);
        hello.putInt(MAGIC).putShort((short) WIRE_VERSION).putInt(version).putShort((short) name.length).put(name)
                .put((byte) (role == null ? 0 : role.ordinal() + 1));
        return hello.array();
    }

    /** Exchanges hellos without stating a role; returns the peer's protocol id, which equals {@code local}, or throws. */
    public static ProtocolId exchange(Channel channel, ProtocolId local) {
        return exchange(channel, local, null);
    }

    /**
     * Exchanges hellos as {@code role} (null: not stated); returns the peer's protocol id, which equals {@code local},
     * or throws. A peer that states the same role is refused at once on both sides: two clients, or two servers,
     * would otherwise each wait for the other's first message until a timeout.
     */
    public static ProtocolId exchange(Channel channel, ProtocolId local, Role role) {
        channel.send(hello(local.name(), local.version(), role));
        channel.flush();
        byte[] received = receiveHello(channel);
        ProtocolId remote = parse(channel, received);
        if (!remote.equals(local)) {
            throw mismatch(channel, "protocol mismatch: this side speaks " + local + ", the peer speaks " + remote, null);
        }
        int peerRole = received[received.length - 1];
        if (peerRole < 0 || peerRole > Role.values().length) {
            throw mismatch(channel, "the peer's hello states an unknown role (" + peerRole + ")", null);
        }
        if (role != null && peerRole == role.ordinal() + 1) {
            throw mismatch(channel, "both parties opened " + local + " as " + role + ": one side must be the "
                    + Role.CLIENT + " and the other the " + Role.SERVER, null);
        }
        return remote;
    }

    /**
     * Reads the peer's hello and checks its form (magic, wire version, layout) without answering: what a server does
     * before it gives a connection a session slot. {@link #replaying} hands the bytes back to the session's own
     * {@link #exchange}, which then checks the protocol.
     */
    public static byte[] readHello(Channel channel) {
        byte[] received = receiveHello(channel);
        parse(channel, received);
        return received;
    }

    /** {@code channel} with {@code hello} (from {@link #readHello}) returned by its first {@code receiveBytes}. */
    public static Channel replaying(Channel channel, byte[] hello) {
        return new org.fusionmpc.api.channel.ForwardingChannel(channel) {
            private byte[] pending = hello;

            @Override
            public byte[] receiveBytes(int maxBytes) {
                byte[] h = pending;
                if (h == null) {
                    return super.receiveBytes(maxBytes);
                }
                pending = null;
                if (h.length > maxBytes) {
                    throw new ChannelException(ChannelException.Kind.PROTOCOL, "the peer's hello of " + h.length
                            + " bytes is longer than the " + maxBytes + " expected");
                }
                return h;
            }
        };
    }

    private static byte[] receiveHello(Channel channel) {
        try {
            return channel.receiveBytes(MAX_HELLO_BYTES);
        } catch (ChannelException e) {
            if (e.kind() == ChannelException.Kind.FRAME_TOO_LARGE || e.kind() == ChannelException.Kind.MESSAGE_SIZE
                    || e.kind() == ChannelException.Kind.PROTOCOL) {
                throw mismatch(channel, "the peer's first message is not an SDK hello (" + e.getMessage()
                        + "); is it speaking another protocol, or plain TCP to TLS?", e);
            }
            throw e;
        }
    }

    private static ProtocolId parse(Channel channel, byte[] received) {
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
        if (nameLength != received.length - FIXED_BYTES - 1 || nameLength == 0 || version < 0) {
            throw mismatch(channel, "the peer's hello is malformed (" + received.length + " bytes)", null);
        }
        java.nio.charset.CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder();
        String remoteName;
        try {
            remoteName = utf8.decode(ByteBuffer.wrap(received, FIXED_BYTES, nameLength)).toString();
        } catch (java.nio.charset.CharacterCodingException e) {
            throw mismatch(channel, "the peer's protocol name is not UTF-8 (" + HexFormat.of().formatHex(received, FIXED_BYTES,
                    Math.min(received.length, FIXED_BYTES + 16)) + ")", e);
        }
        if (remoteName.codePoints().anyMatch(c -> Character.isISOControl(c) || c == 0x2028 || c == 0x2029)) {
            // A name is printed in both sides' messages and logs: a newline in it could forge a log line.
            throw mismatch(channel, "the peer's protocol name holds control characters ("
                    + remoteName.codePoints().limit(64).collect(StringBuilder::new,
                            (b, c) -> b.append(Character.isISOControl(c) || c == 0x2028 || c == 0x2029 ? String.format("\\u%04x", c)
                                    : new String(Character.toChars(c))), StringBuilder::append) + ")", null);
        }
        if (remoteName.equals(BUSY)) {
            channel.close();
            throw new ChannelException(ChannelException.Kind.REFUSED, "the server is busy: all of its " + version
                    + " session slots are in use; try again later");
        }
        return new ProtocolId(remoteName, version);
    }

    private static ChannelException mismatch(Channel channel, String message, Throwable cause) {
        channel.close();
        return new ChannelException(ChannelException.Kind.HANDSHAKE, message, cause);
    }
}
