package org.fusionmpc.fusion;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import org.fusionmpc.api.channel.Channel;
import org.fusionmpc.api.session.Role;
import org.fusionmpc.api.session.Session;
import org.fusionmpc.api.testing.TwoParties;
import org.fusionmpc.ring.FixedPoint;
import org.fusionmpc.semihonest.InferenceServer;
import org.fusionmpc.semihonest.Layer;
import org.fusionmpc.semihonest.Mnist;
import org.fusionmpc.semihonest.Network;
import org.fusionmpc.semihonest.OnnxImporter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The client's policy against a server that picks its claim and its architecture: claims below the floor, claims
 * that would blow N up, claims that are no number, and architectures too large for the client's cap are refused
 * before anything is computed, quickly, with no allocation that follows the server's numbers.
 */
class FusionPolicyTest {

    static final Mnist.Dataset DATA = Mnist.testSubset();
    static final double[][] QUERIES = {DATA.images()[0], DATA.images()[1]};

    /** A server that opens a Fusion session, announces {@code claim} and a model name, and waits for the client to leave. */
    static PolicyRefusal refusalFor(TwoParties parties, double claim, FusionClient client) throws Exception {
        Channel[] pair = parties.pair();
        try (Channel server = pair[0]; Channel c = pair[1]) {
            CompletableFuture<Void> s = CompletableFuture.runAsync(() -> {
                Session.open(server, Role.SERVER, FusionProvider.ID);
                server.send(new long[] {Double.doubleToLongBits(claim)});
                server.send("fake\nverdict: ACCEPT".getBytes(StandardCharsets.UTF_8));
                server.flush();
            });
            PolicyRefusal e = assertTimeoutPreemptively(Duration.ofSeconds(60),
                    () -> assertThrows(PolicyRefusal.class, () -> client.verify(c, QUERIES, m -> assertTrue(!m.contains("\n"), m))));
            s.get();
            return e;
        }
    }

    @ParameterizedTest
    @ValueSource(doubles = {Double.NaN, Double.POSITIVE_INFINITY, -1, 0, 0.04, 1.5, 0.55, 0.8999})
    void claimsBelowTheFloorOrNotNumbersAreRefusedBeforeAnythingIsComputed(double claim) throws Exception {
        PolicyRefusal e = refusalFor(TwoParties.IN_MEMORY, claim, FusionClient.withDefaults(LabelledSet.fromMnist(DATA)));
        assertTrue(e.getMessage().contains("nothing was computed"), e.getMessage());
    }

    /** Without a floor, a low claim drives N up; the cap refuses it, and the optimizer does not spin to find out. */
    @ParameterizedTest
    @ValueSource(doubles = {0.3, 0.5, 0.6})
    void lowClaimsThatNeedTooManySlotsHitTheCapQuickly(double claim) throws Exception {
        PolicyRefusal e = refusalFor(TwoParties.IN_MEMORY, claim, FusionClient.withDefaults(LabelledSet.fromMnist(DATA)).withMinAccuracy(0));
        assertTrue(e.getMessage().contains("cap of " + FusionTargets.DEFAULT_MAX_SLOTS + " slots"), e.getMessage());
    }

    @Test
    void thePolicyIsSetByProviderOptionsToo() {
        var provider = org.fusionmpc.api.spi.Protocols.byName("fusion", FusionClient.class, FusionServer.class);
        FusionClient c = provider.newClient(org.fusionmpc.api.spi.PartyOptions.of(java.util.Map.of("min-accuracy", "0.95",
                "max-slots", "300", "input-noise", "8", "pad-slots", "64")));
        assertEquals(0.95, c.minAccuracy());
        assertEquals(300, c.maxSlots());
        assertEquals(8, c.inputNoise());
        assertEquals(FusionTargets.DEFAULT_MIN_ACCURACY, provider.newClient(org.fusionmpc.api.spi.PartyOptions.of(java.util.Map.of())).minAccuracy());
        assertThrows(IllegalArgumentException.class,
                () -> provider.newClient(org.fusionmpc.api.spi.PartyOptions.of(java.util.Map.of("min-accuracy", "1.5"))));
        assertThrows(IllegalArgumentException.class,
                () -> provider.newClient(org.fusionmpc.api.spi.PartyOptions.of(java.util.Map.of("input-noise", "99"))));
    }

    @Test
    void theSlotCapBoundsTheOptimizer() {
        FusionTargets t = FusionTargets.defaults(2, 0.97);
        FusionParams free = FusionOptimizer.choose(t);
        assertEquals(free, FusionOptimizer.choose(t, free.slots()), "a cap at the optimum changes nothing");
        assertThrows(IllegalArgumentException.class, () -> FusionOptimizer.choose(t, free.slots() - 1));
    }

    /**
     * A server declaring an input of 2^24 values: a 400-slot batch would take 50 GB of shares. The client refuses
     * it against its cap after reading the architecture and before allocating for the batch.
     */
    @ParameterizedTest
    @EnumSource(TwoParties.class)
    void anArchitectureLargerThanTheCapIsRefusedBeforeAllocation(TwoParties parties) throws Exception {
        int in = 1 << 24;
        Network huge = new Network("huge", new int[] {in}, List.of(new Layer.Linear(false, new int[] {10, in}, new double[0], new double[10])));
        InferenceServer backend = new InferenceServer(huge, FixedPoint.defaults(), 4096, false);
        FusionServer server = new FusionServer(backend, 0.99);
        Channel[] pair = parties.pair();
        try (Channel s = pair[0]; Channel c = pair[1]) {
            CompletableFuture<Integer> served = CompletableFuture.supplyAsync(() -> server.serve(s));
            FusionClient client = new FusionClient(LabelledSet.fromMnist(DATA), FusionTargets.DEFAULT_ESCAPE, 0.2, 0.01, 0.05, FusionTargets.DEFAULT_HONEST_FLIP);
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> client.verify(c, QUERIES, m -> { }));
            assertTrue(e.getMessage().contains("more than this client's cap"), e.getMessage());
            c.close();
            served.handle((n, t) -> n).get();
        }
    }

    @Test
    void aModelNameCannotForgeLinesOrBreakTheReport() {
        assertEquals("a?verdict: ACCEPT?", FusionClient.printable("a\nverdict: ACCEPT\r"));
        assertEquals("\"a\\u000ab\\\"\\\\\"", FusionReport.quote("a\nb\"\\"));
    }

    /** The low-claim cheat in many sessions ({@code -Dfusion.adversary.sessions=100}; 5 in CI): refused every time. */
    @Test
    void theLowClaimCheatIsRefusedInEverySession() throws Exception {
        int sessions = Integer.getInteger("fusion.adversary.sessions", 5);
        Network net = OnnxImporter.load(Path.of("..", "models", "secureml-mlp.onnx"));
        FusionServer honest = new FusionServer(new InferenceServer(net, FixedPoint.defaults(), 4096, false), 0.97);
        int refused = 0;
        for (int i = 0; i < sessions; i++) {
            FusionServer cheat = CheatingStrategy.parse("low-claim").apply(honest, new Random(i));
            Channel[] pair = TwoParties.IN_MEMORY.pair();
            try (Channel s = pair[0]; Channel c = pair[1]) {
                CompletableFuture<Integer> served = CompletableFuture.supplyAsync(() -> cheat.serve(s));
                try {
                    FusionClient.withDefaults(LabelledSet.fromMnist(DATA)).verify(c, QUERIES, m -> { });
                } catch (PolicyRefusal e) {
                    refused++;
                }
                c.close();
                served.handle((n, t) -> n).get();
            }
        }
        System.out.printf("adversary: low-claim refused by policy in %d of %d sessions%n", refused, sessions);
        assertEquals(sessions, refused);
    }

    /** The low-claim cheat (a poor model claiming what it has) is stopped by the default floor, over both channels. */
    @ParameterizedTest
    @EnumSource(TwoParties.class)
    void theLowClaimCheatIsRefusedByPolicy(TwoParties parties) throws Exception {
        Network net = OnnxImporter.load(Path.of("..", "models", "secureml-mlp.onnx"));
        FusionServer honest = new FusionServer(new InferenceServer(net, FixedPoint.defaults(), 4096, false), 0.97);
        FusionServer cheat = CheatingStrategy.parse("low-claim").apply(honest, new Random(1));
        assertEquals(CheatingStrategy.LOW_CLAIMED_ACCURACY, cheat.claimedAccuracy());
        Channel[] pair = parties.pair();
        try (Channel s = pair[0]; Channel c = pair[1]) {
            CompletableFuture<Integer> served = CompletableFuture.supplyAsync(() -> cheat.serve(s));
            PolicyRefusal e = assertThrows(PolicyRefusal.class, () -> FusionClient.withDefaults(LabelledSet.fromMnist(DATA)).verify(c, QUERIES, m -> { }));
            assertTrue(e.getMessage().contains("below this client's floor"), e.getMessage());
            c.close();
            served.handle((n, t) -> n).get();
        }
    }
}
