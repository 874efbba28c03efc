package org.fusionmpc.ot;

import java.security.SecureRandom;
import java.util.Objects;
import org.fusionmpc.api.channel.BitPacking;
import org.fusionmpc.api.channel.Channel;
import org.fusionmpc.api.random.Blocks;
import org.fusionmpc.api.random.FixedKeyAesHash;
import org.fusionmpc.api.random.Prg;

/**
 * The sender of the IKNP OT extension (Ishai, Kilian, Nissim and Petrank, CRYPTO 2003) with the optimisations
 * of Asharov, Lindell, Schneider and Zohner (CCS 2013): κ = 128 base OTs expanded by a PRG, so the receiver
 * sends one 128 x m matrix (16 bytes per OT) and nothing else; random OTs cost no further message; chosen
 * messages cost one masked pair per OT.
 *
 * <p>Roles are crossed at setup: this extension sender is the base OTs' <em>receiver</em>, choosing with the
 * bits of its secret Δ, and learns one seed per column, k_j^{Δ_j}. For each chunk the receiver sends
 * u^j = G(k_j^0) ⊕ G(k_j^1) ⊕ r; this side computes q^j = G(k_j^{Δ_j}) ⊕ Δ_j·u^j = t^j ⊕ Δ_j·r and
 * transposes, so that row i is q_i = t_i ⊕ r_i·Δ. Random and chosen OTs hash q_i and q_i ⊕ Δ with
 * {@link FixedKeyAesHash#hash} under a tweak unique to the OT (and to the block of a long message), which is
 * what keeps the Δ-correlation from leaking (GKWY20).
 */
public final class IknpOtSender implements OtSender {

    private final Channel channel;
    private final long[] delta;
    private final boolean[] deltaBit = new boolean[Iknp.KAPPA];
    private final Prg[] columns = new Prg[Iknp.KAPPA];
    private final FixedKeyAesHash hash = new FixedKeyAesHash();
    private final long[] matrix = new long[Iknp.KAPPA * Iknp.CHUNK / 64];
    private final long[] received = new long[Iknp.KAPPA * Iknp.CHUNK / 64];
    private final long[] chunkBlocks = Blocks.allocate(Iknp.CHUNK);
    private final long[] tile = new long[64];
    private long tweak;

    private IknpOtSender(Channel channel, long[] delta, long[] seeds) {
        this.channel = channel;
        this.delta = delta;
        byte[] seed = new byte[Blocks.BYTES];
        for (int j = 0; j < Iknp.KAPPA; j++) {
            deltaBit[j] = Bits.get(delta, j);
            Blocks.toBytes(seeds, j, seed, 0, 1);
            columns[j] = new Prg(seed);
        }
    }

    /** Runs the 128 base OTs (as their receiver, choosing with Δ) and returns a sender ready to extend. */
    public static IknpOtSender setup(Channel channel, SecureRandom random) {
        Objects.requireNonNull(channel, "channel");
        long[] delta = new long[2];
        delta[0] = random.nextLong();
        delta[1] = random.nextLong();
        long[] seeds = ChouOrlandiBaseOt.receive(channel, delta, Iknp.KAPPA, random);
        return new IknpOtSender(channel, delta, seeds);
    }

    @Override
    public long[] delta() {
        return delta.clone();
    }

    @Override
    public void correlated(int n, long[] q) {
        Iknp.checkBlocks("q", q, n);
        for (int done = 0; done < n; done += Iknp.CHUNK) {
            int m = Math.min(Iknp.CHUNK, n - done);
            extend(m);
            System.arraycopy(chunkBlocks, 0, q, 2 * done, 2 * m);
        }
    }

    @Override
    public void random(int n, long[] m0, long[] m1) {
        Iknp.checkBlocks("m0", m0, n);
        Iknp.checkBlocks("m1", m1, n);
        correlated(n, m0);
        for (int i = 0; i < 2 * n; i += 2) {
            m1[i] = m0[i] ^ delta[0];
            m1[i + 1] = m0[i + 1] ^ delta[1];
        }
        hash.hash(m0, 0, m0, 0, n, tweak);
        hash.hash(m1, 0, m1, 0, n, tweak);
        tweak += n;
    }

    @Override
    public void chosen(int n, long[] x0, long[] x1, int longsPerMessage) {
        chosen(n, x0, x1, longsPerMessage, 0);
    }

    @Override
    public void chosenBits(int n, long[] x0, long[] x1, int bits) {
        if (bits < 1 || bits > 64) {
            throw new IllegalArgumentException("short messages have 1..64 bits, got " + bits);
        }
        chosen(n, x0, x1, 1, bits);
    }

    private void chosen(int n, long[] x0, long[] x1, int longsPerMessage, int packBits) {
        Iknp.checkMessages(x0, n, longsPerMessage);
        Iknp.checkMessages(x1, n, longsPerMessage);
        int w = Iknp.blocksPerMessage(longsPerMessage);
        int step = Iknp.chunkFor(w);
        long[] pad0 = Blocks.allocate(step * w);
        long[] pad1 = Blocks.allocate(step * w);
        long[] masked = new long[2 * step * longsPerMessage];
        for (int done = 0; done < n; done += step) {
            int m = Math.min(step, n - done);
            // Each step is at most one extension chunk, so chunkBlocks holds its q_i.
            extend(m);
            Iknp.repeatBlocks(chunkBlocks, m, w, pad0, null);
            Iknp.repeatBlocks(chunkBlocks, m, w, pad1, delta);
            hash.hash(pad0, 0, pad0, 0, m * w, tweak);
            hash.hash(pad1, 0, pad1, 0, m * w, tweak);
            tweak += (long) m * w;
            for (int i = 0; i < m; i++) {
                int x = (done + i) * longsPerMessage;
                int out = 2 * i * longsPerMessage;
                int pad = 2 * i * w;
                for (int k = 0; k < longsPerMessage; k++) {
                    masked[out + k] = x0[x + k] ^ pad0[pad + k];
                    masked[out + longsPerMessage + k] = x1[x + k] ^ pad1[pad + k];
                }
            }
            if (packBits == 0) {
                channel.send(masked, 0, 2 * m * longsPerMessage);
            } else {
                channel.send(BitPacking.pack(masked, 2 * m, packBits));
            }
        }
        channel.flush();
    }

    /** One extension chunk of {@code m ≤ CHUNK} correlated OTs into {@code chunkBlocks}. */
    private void extend(int m) {
        int columnsBits = Iknp.padded(m);
        int words = columnsBits >>> 6;
        // A matrix of the wrong size from the receiver is refused here, by the channel's fixed-length receive.
        channel.receive(received, 0, Iknp.KAPPA * words);
        for (int j = 0; j < Iknp.KAPPA; j++) {
            int row = j * words;
            columns[j].nextLongs(matrix, row, words);
            if (deltaBit[j]) {
                for (int k = 0; k < words; k++) {
                    matrix[row + k] ^= received[row + k];
                }
            }
        }
        BitTranspose.rowsToBlocks(matrix, columnsBits, chunkBlocks, 0, tile);
    }
}
