package org.fusionmpc.api.spi;

import java.util.Set;
import org.fusionmpc.api.session.Session;

/** A test-only plugin: the client sends longs, the server answers each plus a configured offset. */
public final class EchoProtocol implements ProtocolProvider<EchoProtocol.Client, EchoProtocol.Server> {

    public static final String NAME = "test-echo";

    public interface Client {
        long[] ask(Session session, long[] values);
    }

    public interface Server {
        void answer(Session session, int count);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public int version() {
        return 3;
    }

    @Override
    public String description() {
        return "test only: adds an offset to the client's numbers";
    }

    @Override
    public Class<Client> clientType() {
        return Client.class;
    }

    @Override
    public Class<Server> serverType() {
        return Server.class;
    }

    @Override
    public Client newClient(PartyOptions options) {
        options.requireOnly(Set.of());
        return (session, values) -> {
            session.channel().send(values);
            long[] out = new long[values.length];
            session.channel().receive(out, 0, out.length);
            return out;
        };
    }

    @Override
    public Server newServer(PartyOptions options) {
        long offset = options.requireOnly(Set.of("offset")).getInt("offset", 1);
        return (session, count) -> {
            long[] in = new long[count];
            session.channel().receive(in, 0, count);
            for (int i = 0; i < count; i++) {
                in[i] += offset;
            }
            session.channel().send(in);
            session.channel().flush();
        };
    }
}
