package org.fusionmpc.api.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.Signature;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TlsIdentityTest {

    /** A fingerprint's printed form reads back, as do bare and colon-separated hex; anything else is refused. */
    @Test
    void aFingerprintParsesBackFromWhatItPrints() {
        Fingerprint f = TlsIdentity.selfSigned("t").fingerprint();
        assertEquals(f, Fingerprint.parse(f.toString()));
        assertEquals(f, new Fingerprint(f.toString().toUpperCase(java.util.Locale.ROOT)));
        assertEquals(f, Fingerprint.parse(f.hex()));
        assertEquals(f, Fingerprint.parse(f.hex().replaceAll("(..)(?!$)", "$1:")));
        assertTrue(f.toString().startsWith("sha256:"));
        assertThrows(IllegalArgumentException.class, () -> Fingerprint.parse("sha1:" + f.hex()));
        assertThrows(IllegalArgumentException.class, () -> Fingerprint.parse(f.hex().substring(2)));
    }

    @Test
    void pemFilesRoundTripAndTheKeyIsPrivate(@TempDir Path dir) throws Exception {
        TlsIdentity id = TlsIdentity.selfSigned("party");
        Path key = dir.resolve("party.key.pem");
        Path cert = dir.resolve("party.crt.pem");
        id.writePem(key, cert);
        TlsIdentity back = TlsIdentity.readPem(key, cert);
        assertEquals(id.fingerprint(), back.fingerprint());
        assertEquals(Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE),
                Files.getPosixFilePermissions(key));
        // The key read back still signs for the certificate's public key.
        Signature s = Signature.getInstance("SHA256withECDSA");
        s.initSign(back.privateKey());
        s.update(new byte[] {1, 2, 3});
        byte[] sig = s.sign();
        Signature v = Signature.getInstance("SHA256withECDSA");
        v.initVerify(id.certificate());
        v.update(new byte[] {1, 2, 3});
        assertTrue(v.verify(sig));
        id.certificate().verify(id.certificate().getPublicKey());
    }

    @Test
    void fingerprintsAcceptOpensslFormAndRefuseGarbage() {
        String hex = TlsIdentity.selfSigned("x").fingerprint().hex();
        StringBuilder colons = new StringBuilder();
        for (int i = 0; i < hex.length(); i += 2) {
            colons.append(i == 0 ? "" : ":").append(hex.substring(i, i + 2).toUpperCase());
        }
        assertEquals(new Fingerprint(hex), new Fingerprint(colons.toString()));
        assertThrows(IllegalArgumentException.class, () -> new Fingerprint("abc"));
    }
}
