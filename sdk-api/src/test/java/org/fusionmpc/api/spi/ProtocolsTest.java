package org.fusionmpc.api.spi;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.fusionmpc.api.channel.InMemoryChannel;
import org.fusionmpc.api.session.Role;
import org.fusionmpc.api.session.Session;
import org.junit.jupiter.api.Test;

class ProtocolsTest {

    @Test
    void findsARegisteredProviderByNameAndRunsIt() throws Exception {
        ProtocolProvider<EchoProtocol.Client, EchoProtocol.Server> echo =
                Protocols.byName(EchoProtocol.NAME, EchoProtocol.Client.class, EchoProtocol.Server.class);
        EchoProtocol.Server server = echo.newServer(PartyOptions.of(Map.of("offset", "10")));
        EchoProtocol.Client client = echo.newClient(PartyOptions.NONE);
        InMemoryChannel[] pair = InMemoryChannel.pair();
        CompletableFuture<Void> s = CompletableFuture.runAsync(() -> {
            try (Session session = Session.open(pair[0], Role.SERVER, echo.id())) {
                server.answer(session, 3);
            }
        });
        try (Session session = Session.open(pair[1], Role.CLIENT, echo.id())) {
            assertArrayEquals(new long[] {11, 12, -90}, client.ask(session, new long[] {1, 2, -100}));
            assertEquals(24, session.traffic().bytesSent());
            assertEquals(2, session.traffic().rounds());
        }
        s.get(10, TimeUnit.SECONDS);
    }

    @Test
    void unknownNameListsTheKnownOnes() {
        UnknownProtocolException e = assertThrows(UnknownProtocolException.class, () -> Protocols.byName("fusoin"));
        assertTrue(e.getMessage().contains("'fusoin'") && e.getMessage().contains(EchoProtocol.NAME), e.getMessage());
        assertTrue(Protocols.names().contains(EchoProtocol.NAME));
    }

    @Test
    void wrongPartyTypesAreAClearError() {
        UnknownProtocolException e = assertThrows(UnknownProtocolException.class,
                () -> Protocols.byName(EchoProtocol.NAME, String.class, EchoProtocol.Server.class));
        assertTrue(e.getMessage().contains("java.lang.String"), e.getMessage());
    }

    @Test
    void unknownOptionsAreRefusedNamingTheKnownOnes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Protocols.byName(EchoProtocol.NAME).newServer(PartyOptions.of(Map.of("ofset", "1"))));
        assertTrue(e.getMessage().contains("ofset") && e.getMessage().contains("offset"), e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> Protocols.byName(EchoProtocol.NAME).newServer(PartyOptions.of(Map.of("offset", "x"))));
    }
}
