package org.fusionmpc.ot;

import org.fusionmpc.api.testing.TwoParties;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.SecureRandom;
import java.util.concurrent.CompletableFuture;
import org.fusionmpc.api.channel.ChannelException;
import org.fusionmpc.api.channel.InMemoryChannel;
import org.fusionmpc.api.random.Blocks;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

class ChouOrlandiBaseOtTest {

    @ParameterizedTest
    @EnumSource(TwoParties.class)
    void receiverGetsExactlyTheChosenKey(TwoParties parties) throws Exception {
        int n = 128;
        SecureRandom random = new SecureRandom();
        long[] choices = {random.nextLong(), random.nextLong()};
        Object[] r = parties.run(ch -> ChouOrlandiBaseOt.send(ch, n, new SecureRandom()),
                ch -> ChouOrlandiBaseOt.receive(ch, choices, n, new SecureRandom()));
        long[] pairs = (long[]) r[0];
        long[] chosen = (long[]) r[1];
        for (int i = 0; i < n; i++) {
            int c = Bits.get(choices, i) ? 1 : 0;
            assertTrue(Blocks.equal(chosen, i, pairs, 2 * i + c), "OT " + i);
            assertFalse(Blocks.equal(chosen, i, pairs, 2 * i + 1 - c), "OT " + i);
        }
    }

    @Test
    void anInvalidPointFromTheSenderIsRefused() throws Exception {
        InMemoryChannel[] pair = InMemoryChannel.pair();
        CompletableFuture.runAsync(() -> {
            byte[] bogus = new byte[33];
            bogus[0] = 2;
            for (int i = 1; i < 33; i++) {
                bogus[i] = (byte) 0xFF; // x beyond the field prime
            }
            pair[0].send(bogus);
            pair[0].flush();
        }).get();
        ChannelException e = assertThrows(ChannelException.class,
                () -> ChouOrlandiBaseOt.receive(pair[1], new long[2], 128, new SecureRandom()));
        assertEquals(ChannelException.Kind.PROTOCOL, e.kind());
        assertTrue(e.getMessage().contains("not a valid P-256 point"), e.getMessage());
    }
}
