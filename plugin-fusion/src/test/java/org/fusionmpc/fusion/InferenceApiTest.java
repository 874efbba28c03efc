package org.fusionmpc.fusion;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.fusionmpc.api.session.ProtocolId;
import org.fusionmpc.api.spi.PartyOptions;
import org.fusionmpc.api.spi.ProtocolProvider;
import org.fusionmpc.api.spi.Protocols;
import org.fusionmpc.api.spi.UnknownProtocolException;
import org.fusionmpc.api.testing.TwoParties;
import org.fusionmpc.inference.Answer;
import org.fusionmpc.inference.ClientOptions;
import org.fusionmpc.inference.Inference;
import org.fusionmpc.inference.ServerOptions;
import org.fusionmpc.semihonest.Mnist;
import org.fusionmpc.semihonest.Network;
import org.fusionmpc.semihonest.OnnxImporter;
import org.junit.jupiter.api.Test;

/**
 * The typed inference API, as an application uses it: both protocols selected by name as {@link Inference}, parties
 * made from typed options, answers checked against the plaintext model over both channels; options a protocol does
 * not take refused by name; programmatic registration beside ServiceLoader.
 */
class InferenceApiTest {

    static final Path MODEL = Path.of("..", "models", "secureml-mlp.onnx");

    static int[] plainLabels(Network net, double[][] x) {
        int[] y = new int[x.length];
        for (int i = 0; i < x.length; i++) {
            double[] l = net.forward(x[i]);
            for (int k = 1; k < l.length; k++) {
                y[i] = l[k] > l[y[i]] ? k : y[i];
            }
        }
        return y;
    }

    @Test
    void bothProtocolsByNameThroughTheTypedApi() throws Exception {
        Network net = OnnxImporter.load(MODEL);
        double[][] x = java.util.Arrays.copyOfRange(Mnist.testSubset().images(), 10, 12);
        Inference semiHonest = Protocols.byName("semi-honest", Inference.class);
        Inference fusion = Protocols.byName("fusion", Inference.class);
        assertEquals("fusion", fusion.name());
        for (TwoParties p : TwoParties.values()) {
            Inference.Server s = semiHonest.server(ServerOptions.builder(MODEL).allowLogits(true).build());
            Inference.Client c = semiHonest.client(ClientOptions.builder().logits(true).build());
            Answer a = (Answer) p.run(s::serve, ch -> c.infer(ch, x))[1];
            assertEquals(Answer.Check.NOT_CHECKED, a.check());
            assertArrayEquals(plainLabels(net, x), a.labels());
            for (int i = 0; i < x.length; i++) {
                assertArrayEquals(net.forward(x[i]), a.logits()[i], 0.05, "logits over " + p);
            }
            Inference.Server fs = fusion.server(ServerOptions.builder(MODEL).claimedAccuracy(0.97).build());
            Inference.Client fc = fusion.client(ClientOptions.builder().accuracyTest(0.2, 0.01, 0.05).build());
            Answer v = (Answer) p.run(fs::serve, ch -> fc.infer(ch, x))[1];
            assertEquals(Answer.Check.ACCEPTED, v.check(), v.failures().toString());
            assertArrayEquals(plainLabels(net, x), v.labels());
            assertNull(v.logits());
            assertTrue(v.report().startsWith("{\"verdict\":\"ACCEPT\""), v.report());
        }
    }

    @Test
    void optionsAProtocolDoesNotTakeAreRefusedByName() {
        Inference semiHonest = Protocols.byName("semi-honest", Inference.class);
        Inference fusion = Protocols.byName("fusion", Inference.class);
        Exception claim = assertThrows(IllegalArgumentException.class,
                () -> semiHonest.server(ServerOptions.builder(MODEL).claimedAccuracy(0.9).build()));
        assertTrue(claim.getMessage().contains("claimed-accuracy"), claim.getMessage());
        Exception noClaim = assertThrows(IllegalArgumentException.class, () -> fusion.server(ServerOptions.builder(MODEL).build()));
        assertTrue(noClaim.getMessage().contains("claimed accuracy"), noClaim.getMessage());
        Exception logits = assertThrows(IllegalArgumentException.class, () -> fusion.client(ClientOptions.builder().logits(true).build()));
        assertTrue(logits.getMessage().contains("Fusion checks labels"), logits.getMessage());
        Exception set = assertThrows(IllegalArgumentException.class, () -> semiHonest.client(ClientOptions.builder().publicSet("mnist-test").build()));
        assertTrue(set.getMessage().contains("public-set"), set.getMessage());
        UnknownProtocolException api = assertThrows(UnknownProtocolException.class, () -> Protocols.byName("fusion", Runnable.class));
        assertTrue(api.getMessage().contains("does not offer the java.lang.Runnable API"), api.getMessage());
    }

    @Test
    void aProviderRegisteredInCodeIsFoundByNameAndANameIsTakenOnce() {
        ProtocolProvider<String, String> own = new ProtocolProvider<>() {
            @Override
            public String name() {
                return "test-registered";
            }

            @Override
            public int version() {
                return 1;
            }

            @Override
            public String description() {
                return "a provider made in code";
            }

            @Override
            public Class<String> clientType() {
                return String.class;
            }

            @Override
            public Class<String> serverType() {
                return String.class;
            }

            @Override
            public String newClient(PartyOptions options) {
                return "client";
            }

            @Override
            public String newServer(PartyOptions options) {
                return "server";
            }
        };
        Protocols.register(own);
        assertSame(own, Protocols.byName("test-registered"));
        assertTrue(Protocols.names().contains("test-registered") && Protocols.names().contains("fusion"));
        assertEquals(Protocols.names().stream().sorted().toList(), Protocols.names());
        UnknownProtocolException twice = assertThrows(UnknownProtocolException.class, () -> Protocols.register(own));
        assertTrue(twice.getMessage().contains("registered already"), twice.getMessage());
        assertThrows(UnknownProtocolException.class, () -> Protocols.register(new FusionProvider()));
        assertEquals(new ProtocolId("fusion", FusionProvider.ID.version()), FusionClient.protocol());
        assertTrue(PartyOptions.NONE.asMap().isEmpty());
    }
}
