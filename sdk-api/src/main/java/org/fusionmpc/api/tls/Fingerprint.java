package org.fusionmpc.api.tls;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.HexFormat;
import java.util.Locale;

/** The SHA-256 digest of a certificate's DER encoding, written as 64 lower-case hex digits. */
public record Fingerprint(String hex) {

    public Fingerprint {
        // Accept the colon-separated form that openssl prints, too.
        hex = hex.replace(":", "").toLowerCase(Locale.ROOT).strip();
        if (!hex.matches("[0-9a-f]{64}")) {
            throw new IllegalArgumentException("a certificate fingerprint is 64 hex digits (SHA-256), got '" + hex + "'");
        }
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
