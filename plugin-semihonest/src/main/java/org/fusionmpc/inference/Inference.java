package org.fusionmpc.inference;

import java.util.function.Consumer;
import org.fusionmpc.api.channel.Channel;

/**
 * Secure inference of a model between a server that holds it and a client that holds the inputs, as a protocol plugin
 * offers it ({@code semi-honest}, {@code fusion}). Both parties are made from typed options; a session is one call on
 * each side, on a connected {@link Channel}.
 */
public interface Inference {

    /** The protocol's registry name. */
    String name();

    /** The server's party for {@code options}; a missing or inapplicable option is a clear error here, before any session. */
    Server server(ServerOptions options);

    /** The client's party for {@code options}; a missing or inapplicable option is a clear error here, before any session. */
    Client client(ClientOptions options);

    /** The model's side: serves one session per call. */
    interface Server {
        /** Serves one session on {@code channel}; returns the number of inputs it answered. */
        int serve(Channel channel);
    }

    /** The inputs' side. */
    interface Client {
        /** One session over a batch of inputs (each the model's input shape, flattened row-major). */
        Answer infer(Channel channel, double[][] inputs, Consumer<String> progress);

        default Answer infer(Channel channel, double[][] inputs) {
            return infer(channel, inputs, line -> { });
        }
    }
}
