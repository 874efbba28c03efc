package org.fusionmpc.fusion;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.fusionmpc.api.channel.Channel;
import org.fusionmpc.api.channel.ForwardingChannel;
import org.fusionmpc.api.channel.InMemoryChannel;
import org.fusionmpc.ring.FixedPoint;
import org.fusionmpc.semihonest.InferenceServer;
import org.fusionmpc.semihonest.Layer;
import org.fusionmpc.semihonest.Mnist;
import org.fusionmpc.semihonest.Network;
import org.junit.jupiter.api.Test;

/**
 * The server dies at a random point of a Fusion session (its channel closes after its k-th message operation):
 * the client must report a failure and never return labels. A tiny model keeps each session to milliseconds.
 */
class KilledServerTest {

    static final SplittableRandom R = new SplittableRandom(12);

    /** A 4-input, 3-class linear model and a public set it labels perfectly. */
    static Network tiny() {
        double[] w = new double[3 * 4];
        for (int i = 0; i < w.length; i++) {
            w[i] = R.nextDouble() * 2 - 1;
        }
        return new Network("tiny", new int[] {4}, List.of(new Layer.Linear(false, new int[] {3, 4}, w, new double[3])));
    }

    static Mnist.Dataset publicSet(Network net, int n) {
        double[][] x = new double[n][4];
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < 4; k++) {
                x[i][k] = R.nextDouble();
            }
            double[] o = net.forward(x[i]);
            y[i] = o[0] >= o[1] && o[0] >= o[2] ? 0 : o[1] >= o[2] ? 1 : 2;
        }
        return new Mnist.Dataset(x, y);
    }

    /** Counts (and after {@code killAt}, refuses) the server's channel operations by closing its channel. */
    static final class Killer extends ForwardingChannel {
        final AtomicInteger ops = new AtomicInteger();
        final int killAt;

        Killer(Channel c, int killAt) {
            super(c);
            this.killAt = killAt;
        }

        private void tick() {
            if (ops.incrementAndGet() == killAt) {
                delegate.close();
            }
        }

        @Override
        public void send(long[] src, int offset, int length) {
            tick();
            super.send(src, offset, length);
        }

        @Override
        public void send(byte[] src, int offset, int length) {
            tick();
            super.send(src, offset, length);
        }

        @Override
        public void receive(long[] dst, int offset, int length) {
            tick();
            super.receive(dst, offset, length);
        }

        @Override
        public void receive(byte[] dst, int offset, int length) {
            tick();
            super.receive(dst, offset, length);
        }

        @Override
        public byte[] receiveBytes(int maxBytes) {
            tick();
            return super.receiveBytes(maxBytes);
        }
    }

    @Test
    void aClientKilledAnywhereEndsTheServersSessionWithAnErrorAndTheServerServesTheNext() throws Exception {
        Network net = tiny();
        FusionServer server = new FusionServer(new InferenceServer(net, FixedPoint.defaults(), 4096, false), 0.99);
        FusionClient client = new FusionClient(LabelledSet.fromMnist(publicSet(net, 400)), FusionTargets.DEFAULT_ESCAPE, 0.2, 0.01, 0.05, 1e-6);
        double[][] queries = {publicSet(net, 1).images()[0]};
        for (int killAt : R.ints(15, 1, 40).toArray()) {
            Channel[] pair = InMemoryChannel.pair();
            Killer dyingClient = new Killer(pair[1], killAt);
            CompletableFuture<Object> c = CompletableFuture.supplyAsync(() -> {
                try {
                    return client.verify(dyingClient, queries, m -> { });
                } catch (RuntimeException dead) {
                    return dead;
                }
            });
            long start = System.nanoTime();
            // The server ends promptly: with a clear error, or normally if the client died after the server's last message.
            Exception failure = null;
            try {
                server.serve(pair[0]);
            } catch (RuntimeException e) {
                failure = e;
                assertTrue(e.getMessage() != null && !e.getMessage().isBlank());
            }
            assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(20), "the server noticed only after the timeout");
            if (killAt <= 10) {
                assertTrue(failure != null, "a client that died at its operation " + killAt + " went unnoticed");
            }
            pair[0].close();
            assertTrue(c.get(30, TimeUnit.SECONDS) instanceof RuntimeException, "the dying client still got a report");
        }
        // The same server object then serves a healthy client.
        Object[] ok = session(server, client, queries, Integer.MAX_VALUE);
        assertEquals(Verdict.ACCEPT, ((FusionReport) ok[0]).verdict());
    }

    static Object[] session(FusionServer server, FusionClient client, double[][] queries, int killAt) throws Exception {
        Channel[] pair = InMemoryChannel.pair();
        Killer k = new Killer(pair[0], killAt);
        CompletableFuture<Integer> s = CompletableFuture.supplyAsync(() -> {
            try {
                return server.serve(k);
            } catch (RuntimeException dead) {
                return -1;
            }
        });
        try (Channel c = pair[1]) {
            FusionReport r = client.verify(c, queries, m -> { });
            return new Object[] {r, k.ops.get()};
        } finally {
            pair[0].close();
            s.get(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void aServerKilledAnywhereInTheSessionGivesTheClientAFailureAndNoLabels() throws Exception {
        Network net = tiny();
        FusionServer server = new FusionServer(new InferenceServer(net, FixedPoint.defaults(), 4096, false), 0.99);
        FusionClient client = new FusionClient(LabelledSet.fromMnist(publicSet(net, 400)), FusionTargets.DEFAULT_ESCAPE, 0.2, 0.01, 0.05, 1e-6);
        double[][] queries = {publicSet(net, 1).images()[0], publicSet(net, 1).images()[0]};
        Object[] honest = session(server, client, queries, Integer.MAX_VALUE);
        assertEquals(Verdict.ACCEPT, ((FusionReport) honest[0]).verdict());
        int total = (int) honest[1];
        assertTrue(total > 20, total + " operations");
        int trials = 0;
        for (int killAt : R.ints(25, 1, total + 1).toArray()) {
            Exception e = assertThrows(Exception.class, () -> session(server, client, queries, killAt),
                    "the client returned a report although the server died at operation " + killAt + " of " + total);
            assertTrue(e.getMessage() != null && !e.getMessage().isBlank(), "an error without a message");
            trials++;
        }
        assertEquals(25, trials);
    }
}
