package org.fusionmpc.semihonest;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.fusionmpc.api.channel.Channel;
import org.fusionmpc.api.channel.ChannelException;
import org.fusionmpc.api.session.MemoryBudget;
import org.fusionmpc.api.testing.TwoParties;
import org.fusionmpc.ot.OtExtension;
import org.fusionmpc.ring.FixedPoint;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The server admits a session only if its estimated heap fits what is left of its budget: an oversized batch is
 * refused before anything is allocated, with the largest batch that fits; concurrent sessions share the budget, so
 * their estimates never sum past it; a refused client can come back smaller, or later.
 */
@Timeout(300)
class MemoryAdmissionTest {

    static final Network NET = OnnxImporter.load(Path.of("..", "models", "secureml-mlp.onnx"));
    static final double[][] IMAGES = Mnist.testSubset().images();

    static InferenceServer server(long budgetBytes) {
        // Prepared weights would hold part of the budget for the server's life (PreparedWeightsServerTest); here
        // every byte reserved belongs to a session.
        return new InferenceServer(NET, FixedPoint.defaults(), 4096, false).withPrepareWeights(PrepareWeights.OFF)
                .withMemoryBudget(new MemoryBudget(budgetBytes));
    }

    @Test
    void anOversizedBatchIsRefusedWithTheLargestThatFitsAndASmallerOneIsServed() throws Exception {
        InferenceServer probe = server(1);
        long ten = probe.sessionBytes(LinearMode.HE, 10);
        InferenceServer s = server(ten);
        double[][] eleven = Arrays.copyOf(IMAGES, 11);
        ChannelException e = assertThrows(ChannelException.class, () -> {
            try {
                TwoParties.IN_MEMORY.run(s::serve, ch -> new InferenceClient(OutputMode.LABEL).classify(ch, eleven));
            } catch (java.util.concurrent.ExecutionException x) {
                throw x.getCause();
            }
        });
        assertEquals(ChannelException.Kind.REFUSED, e.kind());
        assertTrue(e.getMessage().contains("batch of 11") && e.getMessage().contains("admits 10"), e.getMessage());
        assertEquals(0, s.memoryBudget().reserved(), "a refusal reserves nothing");
        Object[] r = TwoParties.IN_MEMORY.run(s::serve, ch -> new InferenceClient(OutputMode.LABEL).classify(ch, Arrays.copyOf(IMAGES, 10)));
        assertEquals(10, ((InferenceResult) r[1]).labels().length);
        assertEquals(0, s.memoryBudget().reserved(), "the reservation is returned when the session ends");
        System.out.printf("memory: the MLP's session of 10 inputs is admitted for %.1f MB (%.1f MB per input beyond the fixed %d MB)%n",
                ten / 1e6, (ten - SessionMemory.fixedBytes(OtExtension.SOFTSPOKEN)) / 10 / 1e6,
                SessionMemory.fixedBytes(OtExtension.SOFTSPOKEN) >> 20);
    }

    /** Four clients at once against a budget for two of their sessions: two are served, two refused, none past the budget. */
    @Test
    void concurrentSessionsShareOneBudget() throws Exception {
        int batch = 20;
        InferenceServer probe = server(1);
        long one = probe.sessionBytes(LinearMode.HE, batch);
        InferenceServer s = server(2 * one + one / 2);
        CountDownLatch hold = new CountDownLatch(1);
        // The server waits before its first message to the client, so the admitted sessions overlap with the others' requests.
        List<CompletableFuture<Object>> clients = new ArrayList<>();
        List<Channel[]> pairs = new ArrayList<>();
        long[] peak = new long[1];
        for (int i = 0; i < 4; i++) {
            Channel[] pair = TwoParties.IN_MEMORY.pair();
            pairs.add(pair);
            CompletableFuture.runAsync(() -> {
                try {
                    s.serve(pair[0]);
                } catch (RuntimeException ignored) {
                    // a refused session ends here
                } finally {
                    pair[0].close();
                }
            });
            clients.add(CompletableFuture.supplyAsync(() -> {
                try {
                    return new InferenceClient(OutputMode.LABEL).classify(pair[1], Arrays.copyOf(IMAGES, batch), m -> {
                        synchronized (peak) {
                            peak[0] = Math.max(peak[0], s.memoryBudget().reserved());
                        }
                        try {
                            hold.await(30, TimeUnit.SECONDS);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    });
                } catch (ChannelException e) {
                    return e;
                }
            }));
        }
        // Admitted clients block in their progress callback until all four have an answer from the server.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (clients.stream().filter(CompletableFuture::isDone).count() < 2 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        hold.countDown();
        int served = 0;
        int refused = 0;
        for (CompletableFuture<Object> c : clients) {
            Object r = c.get(120, TimeUnit.SECONDS);
            if (r instanceof InferenceResult res) {
                assertEquals(batch, res.labels().length);
                served++;
            } else {
                assertEquals(ChannelException.Kind.REFUSED, ((ChannelException) r).kind(), r.toString());
                refused++;
            }
        }
        System.out.printf("memory: 4 clients against a budget for 2.5 sessions: %d served, %d refused, peak reserved %.1f of %.1f MB%n",
                served, refused, peak[0] / 1e6, s.memoryBudget().capacity() / 1e6);
        assertEquals(2, served);
        assertEquals(2, refused);
        assertTrue(peak[0] <= s.memoryBudget().capacity());
        assertEquals(0, s.memoryBudget().reserved());
        for (Channel[] p : pairs) {
            p[1].close();
        }
    }

    @Test
    void theEstimateGrowsWithTheBatchAndTheRlweEngine() {
        InferenceServer s = server(1);
        long he1 = s.sessionBytes(LinearMode.HE, OtExtension.SOFTSPOKEN, 1);
        long he100 = s.sessionBytes(LinearMode.HE, OtExtension.SOFTSPOKEN, 100);
        long ot100 = s.sessionBytes(LinearMode.OT, OtExtension.SOFTSPOKEN, 100);
        assertEquals(99 * (he1 - SessionMemory.fixedBytes(OtExtension.SOFTSPOKEN)), he100 - he1);
        long he2 = s.sessionBytes(LinearMode.HE, OtExtension.SOFTSPOKEN, 2);
        long past = s.sessionBytes(LinearMode.HE, OtExtension.SOFTSPOKEN, 1000) - s.sessionBytes(LinearMode.HE, OtExtension.SOFTSPOKEN, 999);
        assertTrue(past < he2 - he1, "past 2^18 values a layer, the comparison passes stop growing: " + past + " vs " + (he2 - he1));
        assertTrue(s.sessionBytes(LinearMode.HE, OtExtension.SILENT, 100) > he100, "the silent extension's rounds are admitted for");
        assertEquals(s.sessionBytes(LinearMode.HE, OtExtension.SILENT, 100), s.sessionBytes(LinearMode.HE, 100),
                "100 MLP inputs are 25,600 ReLUs: the automatic choice is silent");
        assertTrue(ot100 < he100, ot100 + " vs " + he100);
        assertArrayEquals(new long[] {0}, new long[] {s.memoryBudget().reserved()});
    }
}
