package org.fusionmpc.ot;

import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.math.ec.ECCurve;
import org.bouncycastle.math.ec.ECPoint;
import org.bouncycastle.math.ec.FixedPointCombMultiplier;
import org.bouncycastle.util.BigIntegers;
import org.fusionmpc.api.channel.Channel;
import org.fusionmpc.api.channel.ChannelException;
import org.fusionmpc.api.random.Blocks;

/**
 * Random base OTs by the "simplest OT" of Chou and Orlandi (LATINCRYPT 2015) over NIST P-256 with Bouncy
 * Castle's curve arithmetic. The sender sends A = aG; for choice c the receiver answers B = bG + cA and keeps
 * k_c = H(i, A, B, bA); the sender derives k_0 = H(i, A, B, aB) and k_1 = H(i, A, B, a(B - A)). H is SHA-256
 * truncated to 128 bits, with the OT index i and the transcript (A, B) inside, so that keys of different OTs
 * are unrelated.
 *
 * <p>Security: secure against semi-honest parties and gives the receiver's choice perfect privacy against any
 * sender (B is uniform whatever c is); sender privacy against a malicious receiver holds in the random-oracle
 * model for this non-UC use (the original UC claim was shown not to hold: Genç, Iovino and Rial, ePrint
 * 2017/1218; Byali et al., ePrint 2017/1076). Both are what the IKNP extension on top needs. Every received
 * point is decoded and validated on the curve; the point at infinity is refused.
 *
 * <p>Messages: the sender's A (33 bytes), then the receiver's n points in one message (33 n bytes); one round
 * trip.
 */
public final class ChouOrlandiBaseOt {

    private static final X9ECParameters CURVE = CustomNamedCurves.getByName("secp256r1");
    private static final ECCurve C = CURVE.getCurve();
    private static final BigInteger ORDER = CURVE.getN();
    private static final int POINT_BYTES = 33;

    private ChouOrlandiBaseOt() {
    }

    /**
     * The sender's side of {@code n} random OTs: returns {@code 2n} blocks, (k_0, k_1) of OT {@code i} at blocks
     * {@code 2i} and {@code 2i + 1}.
     */
    public static long[] send(Channel channel, int n, SecureRandom random) {
        FixedPointCombMultiplier fixedBase = new FixedPointCombMultiplier();
        BigInteger a = scalar(random);
        ECPoint bigA = fixedBase.multiply(CURVE.getG(), a).normalize();
        byte[] encodedA = bigA.getEncoded(true);
        channel.send(encodedA);
        channel.flush();

        byte[] points = new byte[POINT_BYTES * n];
        channel.receive(points, 0, points.length);
        ECPoint aA = bigA.multiply(a).normalize();
        long[] keys = Blocks.allocate(2 * n);
        for (int i = 0; i < n; i++) {
            byte[] encodedB = java.util.Arrays.copyOfRange(points, POINT_BYTES * i, POINT_BYTES * (i + 1));
            ECPoint aB = decode(encodedB, "receiver's point " + i).multiply(a).normalize();
            hash(i, encodedA, encodedB, aB, keys, 2 * i);
            hash(i, encodedA, encodedB, aB.subtract(aA).normalize(), keys, 2 * i + 1);
        }
        return keys;
    }

    /**
     * The receiver's side: {@code choices} holds {@code n} packed choice bits; returns {@code n} blocks,
     * k_{c_i} of OT {@code i} at block {@code i}.
     */
    public static long[] receive(Channel channel, long[] choices, int n, SecureRandom random) {
        byte[] encodedA = new byte[POINT_BYTES];
        channel.receive(encodedA, 0, POINT_BYTES);
        ECPoint bigA = decode(encodedA, "sender's point A");
        FixedPointCombMultiplier fixedBase = new FixedPointCombMultiplier();
        byte[] points = new byte[POINT_BYTES * n];
        BigInteger[] b = new BigInteger[n];
        byte[][] encodedB = new byte[n][];
        for (int i = 0; i < n; i++) {
            b[i] = scalar(random);
            ECPoint bigB = fixedBase.multiply(CURVE.getG(), b[i]);
            if (Bits.get(choices, i)) {
                bigB = bigB.add(bigA);
            }
            encodedB[i] = bigB.normalize().getEncoded(true);
            System.arraycopy(encodedB[i], 0, points, POINT_BYTES * i, POINT_BYTES);
        }
        channel.send(points);
        channel.flush();
        long[] keys = Blocks.allocate(n);
        for (int i = 0; i < n; i++) {
            hash(i, encodedA, encodedB[i], bigA.multiply(b[i]).normalize(), keys, i);
        }
        return keys;
    }

    private static BigInteger scalar(SecureRandom random) {
        return BigIntegers.createRandomInRange(BigInteger.ONE, ORDER.subtract(BigInteger.ONE), random);
    }

    private static ECPoint decode(byte[] encoded, String what) {
        try {
            ECPoint p = C.decodePoint(encoded);
            if (p.isInfinity() || !p.isValid()) {
                throw new IllegalArgumentException("point at infinity or off the curve");
            }
            return p;
        } catch (IllegalArgumentException e) {
            throw new ChannelException(ChannelException.Kind.PROTOCOL,
                    "base OT: the " + what + " is not a valid P-256 point (" + e.getMessage() + ")");
        }
    }

    private static void hash(int index, byte[] encodedA, byte[] encodedB, ECPoint shared, long[] out, int block) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(ByteBuffer.allocate(4).putInt(index).array());
            sha.update(encodedA);
            sha.update(encodedB);
            sha.update(shared.getEncoded(true));
            Blocks.fromBytes(sha.digest(), 0, out, block, 1);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }
}
