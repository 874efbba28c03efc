package org.fusionmpc.ring;

/**
 * Local probabilistic truncation of shares by 2^f (Mohassel and Zhang, SecureML, S&amp;P 2017): the server
 * shifts its share arithmetically, the client shifts the negation of its share and negates back. No
 * communication. For a shared value x with |x| &lt; 2^k, the result is ⌊x/2^f⌋ or ⌊x/2^f⌋ + 1 (an error of
 * at most one unit in the last place), except when the two shares, read as signed numbers, overflow as they
 * add up: that happens with probability |x|/2^64 ≤ 2^(k-64) over the uniform share, and the result is then
 * wrong by about 2^(64-f) (a wrap-around). With ℓ = 64, f = 12 and |x| &lt; 2^40 (the bound inference
 * keeps) that is at most 2^-24 per value; {@code TruncationTest} measures both rates over 10^6 samples.
 */
public final class Truncation {

    private Truncation() {
    }

    /** The server's (party 0's) truncated share, in place. */
    public static void server(long[] share, int f) {
        for (int i = 0; i < share.length; i++) {
            share[i] >>= f;
        }
    }

    /** The client's (party 1's) truncated share, in place. */
    public static void client(long[] share, int f) {
        for (int i = 0; i < share.length; i++) {
            share[i] = -((-share[i]) >> f);
        }
    }
}
