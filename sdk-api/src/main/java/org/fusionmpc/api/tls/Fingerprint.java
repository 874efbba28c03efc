package org.fusionmpc.api.tls;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.HexFormat;
import java.util.Locale;

/**
 * The SHA-256 digest of a certificate's DER encoding, written as 64 lower-case hex digits. {@link #toString()} writes
 * {@code sha256:HEX}, which {@link #parse} and the constructor read back, as they read the bare hex digits and
 * openssl's colon-separated form.
 */
public record Fingerprint(String hex) {

    public Fingerprint {
        // Accept this record's own toString() and the colon-separated form that openssl prints, too.
        hex = hex.strip();
        if (hex.regionMatches(true, 0, "sha256:", 0, 7)) {
            hex = hex.substring(7);
        }
        hex = hex.replace(":", "").toLowerCase(Locale.ROOT).strip();
        if (!hex.matches("[0-9a-f]{64}")) {
            throw new IllegalArgumentException("a certificate fingerprint is 64 hex digits (SHA-256), got '" + hex + "'");
        }
    }

    /** A fingerprint as {@link #toString()} writes it, as bare hex, or as openssl's colon-separated hex. */
    public static Fingerprint parse(String text) {
        return new Fingerprint(text);
    }

    public static Fingerprint of(X509Certificate certificate) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded());
            return new Fingerprint(HexFormat.of().formatHex(digest));
        } catch (NoSuchAlgorithmException | CertificateEncodingException e) {
            throw new IllegalStateException("cannot fingerprint certificate: " + e.getMessage(), e);
        }
    }

    @Override
    public String toString() {
        return "sha256:" + hex;
    }
}
