package org.fusionmpc.samples.bench;

import java.io.IOException;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import java.util.function.Function;
import org.fusionmpc.api.channel.Channel;
import org.fusionmpc.api.channel.ShapedLink;
import org.fusionmpc.api.testing.TwoParties;

/**
 * Where an end-to-end bench's sessions run. Unshaped, or with {@code --shaping in-process}: both parties in
 * this process, in memory or over loopback TCP, the link optionally emulated by {@link ShapedLink}. With
 * {@code --wan} and kernel shaping (the default where this process may create network namespaces): the server
 * in its own process across a veth pair the kernel shapes ({@link NetnsLink}), the client here over TLS. Each
 * output line's {@code shaping} says which ran and, for in-process shaping, why the kernel did not.
 */
final class BenchLink {

    /** How a {@code --wan} link is shaped. */
    enum Shaping {
        /** The kernel where this process may build the link, else in-process. */
        AUTO,
        /** The kernel, or a clear error. */
        KERNEL,
        /** In-process, both parties in this process. */
        IN_PROCESS;

        static Shaping parse(String s) {
            return switch (s.toLowerCase(Locale.ROOT)) {
                case "auto" -> AUTO;
                case "kernel" -> KERNEL;
                case "in-process" -> IN_PROCESS;
                default -> throw new IllegalArgumentException("--shaping is auto, kernel or in-process, not '" + s + "'");
            };
        }
    }

    private BenchLink() {
    }

    static Channel[] pair(boolean tcp, ShapedLink.Spec wan) {
        Channel[] p = (tcp ? TwoParties.TCP : TwoParties.IN_MEMORY).pair();
        return wan == null ? p : ShapedLink.wrap(p[0], p[1], wan);
    }

    /** Whether sessions over {@code wan} go to a server process across a kernel-shaped link. */
    static boolean kernel(ShapedLink.Spec wan, Shaping mode) {
        if (wan == null || mode == Shaping.IN_PROCESS) {
            return false;
        }
        if (NetnsLink.UNAVAILABLE != null && mode == Shaping.KERNEL) {
            throw new IllegalStateException("--shaping kernel: " + NetnsLink.UNAVAILABLE);
        }
        return NetnsLink.UNAVAILABLE == null;
    }

    static String inProcessShaping(ShapedLink.Spec wan, Shaping mode) {
        if (wan == null) {
            return "none";
        }
        return "in-process " + wan + " (kernel shaping: "
                + (mode == Shaping.IN_PROCESS ? "not asked for, --shaping in-process" : NetnsLink.UNAVAILABLE) + ")";
    }

    /** The server side of a bench's sessions: a handler in this process, or a server process across a shaped link. */
    static final class Server implements AutoCloseable {
        private final boolean tcp;
        private final ShapedLink.Spec wan;
        private final Shaping mode;
        private final Consumer<Channel> handler;
        private final NetnsLink link;
        private final ServerProcess process;

        private Server(boolean tcp, ShapedLink.Spec wan, Shaping mode, Consumer<Channel> handler, NetnsLink link, ServerProcess process) {
            this.tcp = tcp;
            this.wan = wan;
            this.mode = mode;
            this.handler = handler;
            this.link = link;
            this.process = process;
        }

        /**
         * Sessions served by {@code handler} in this process, unless {@code wan} is kernel-shaped: then by
         * {@code ./fusion server} with the model {@code onnx}, {@code sessions} sessions and {@code options}.
         */
        static Server start(boolean tcp, ShapedLink.Spec wan, Shaping mode, Consumer<Channel> handler, byte[] onnx, int sessions,
                            List<String> options) throws IOException, InterruptedException {
            if (!kernel(wan, mode)) {
                return new Server(tcp, wan, mode, handler, null, null);
            }
            NetnsLink link = NetnsLink.open(wan);
            try {
                return new Server(tcp, wan, mode, handler, link, ServerProcess.start(link, onnx, sessions, options));
            } catch (IOException | RuntimeException e) {
                link.close();
                throw e;
            }
        }

        /** One session: {@code client} runs here on its channel; the result is the client's. */
        <T> T session(Function<Channel, T> client) throws Exception {
            Object[] result = new Object[1];
            if (process != null) {
                try (Channel c = process.connect()) {
                    result[0] = client.apply(c);
                    heldFlushes = c instanceof org.fusionmpc.api.channel.FlightDelay d ? d.heldFlushes() : -1;
                } catch (RuntimeException e) {
                    throw new IllegalStateException(e.getMessage() + "; the server process said: " + process.log(), e);
                }
            } else {
                Channel[] pair = pair(tcp, wan);
                try (Channel s = pair[0]; Channel c = pair[1]) {
                    TwoParties.timeBoth(() -> handler.accept(s), () -> result[0] = client.apply(c));
                }
            }
            @SuppressWarnings("unchecked")
            T t = (T) result[0];
            return t;
        }

        private long heldFlushes = -1;

        /** The client's flushes held by the last session's {@link org.fusionmpc.api.channel.FlightDelay}, or -1 for none. */
        long heldFlushes() {
            return heldFlushes;
        }

        String shaping() {
            return link != null ? link.describe() : inProcessShaping(wan, mode);
        }

        /** "tls" across a kernel-shaped link, else the in-process transport. */
        String transport() {
            return link != null ? "tls" : tcp ? "tcp" : "inmem";
        }

        @Override
        public void close() throws IOException, InterruptedException {
            try {
                if (process != null) {
                    process.close();
                }
            } finally {
                if (link != null) {
                    link.close();
                }
            }
        }
    }
}
