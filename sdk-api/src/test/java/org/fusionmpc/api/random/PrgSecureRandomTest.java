package org.fusionmpc.api.random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.security.SecureRandom;
import org.junit.jupiter.api.Test;

/** A Prg's SecureRandom view is the same AES-CTR stream, and refuses extra seeding. */
class PrgSecureRandomTest {

    @Test
    void theViewIsThePrgsOwnStream() {
        byte[] seed = new byte[Prg.SEED_BYTES];
        seed[3] = 7;
        byte[] direct = new byte[100];
        new Prg(seed.clone()).nextBytes(direct);
        SecureRandom view = new Prg(seed.clone()).asSecureRandom();
        byte[] first = new byte[37];
        byte[] rest = new byte[63];
        view.nextBytes(first);
        view.nextBytes(rest);
        byte[] joined = new byte[100];
        System.arraycopy(first, 0, joined, 0, 37);
        System.arraycopy(rest, 0, joined, 37, 63);
        assertArrayEquals(direct, joined);
        assertThrows(UnsupportedOperationException.class, () -> view.setSeed(new byte[] {1}));
    }
}
