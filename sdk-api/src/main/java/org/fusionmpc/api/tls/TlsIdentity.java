package org.fusionmpc.api.tls;

import java.io.IOException;
import java.io.Reader;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Objects;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A party's TLS key pair and certificate. Parties pin each other's certificate by fingerprint rather than
 * trusting a certificate authority, so a self-signed certificate is the normal case.
 */
public final class TlsIdentity {

    private static final Duration VALIDITY = Duration.ofDays(3650);

    private final PrivateKey privateKey;
    private final X509Certificate certificate;

    public TlsIdentity(PrivateKey privateKey, X509Certificate certificate) {
        this.privateKey = Objects.requireNonNull(privateKey, "privateKey");
        this.certificate = Objects.requireNonNull(certificate, "certificate");
    }

    /** A fresh ECDSA P-256 key pair and a self-signed certificate for {@code commonName}, valid ten years. */
    public static TlsIdentity selfSigned(String commonName) {
        try {
            SecureRandom random = new SecureRandom();
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"), random);
            KeyPair pair = generator.generateKeyPair();
            X500Name subject = new X500Name("CN=" + commonName);
            Instant now = Instant.now();
            JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(subject,
                    new BigInteger(127, random), Date.from(now.minus(Duration.ofDays(1))),
                    Date.from(now.plus(VALIDITY)), subject, pair.getPublic());
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            builder.addExtension(Extension.subjectAlternativeName, false,
                    new GeneralNames(new GeneralName(GeneralName.dNSName, commonName)));
            X509CertificateHolder holder = builder.build(
                    new JcaContentSignerBuilder("SHA256withECDSA").setSecureRandom(random).build(pair.getPrivate()));
            X509Certificate certificate = new JcaX509CertificateConverter().getCertificate(holder);
            return new TlsIdentity(pair.getPrivate(), certificate);
        } catch (GeneralSecurityException | IOException | OperatorCreationException e) {
            throw new IllegalStateException("cannot generate a TLS identity: " + e.getMessage(), e);
        }
    }

    public PrivateKey privateKey() {
        return privateKey;
    }

    public X509Certificate certificate() {
        return certificate;
    }

    /** The SHA-256 fingerprint of the certificate, the value a peer pins. */
    public Fingerprint fingerprint() {
        return Fingerprint.of(certificate);
    }

    /** Writes the private key (PKCS#8 PEM, owner-readable only where the file system allows) and the certificate. */
    public void writePem(Path keyFile, Path certificateFile) throws IOException {
        Files.writeString(certificateFile, certificatePem(), StandardCharsets.US_ASCII);
        Files.deleteIfExists(keyFile);
        try {
            Files.createFile(keyFile, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException e) {
            Files.createFile(keyFile);
        }
        Files.writeString(keyFile, pem(pkcs8(privateKey)), StandardCharsets.US_ASCII);
    }

    public String certificatePem() {
        return pem(certificate);
    }

    /** Reads a key and certificate written by {@link #writePem} (or by OpenSSL in PEM form). */
    public static TlsIdentity readPem(Path keyFile, Path certificateFile) throws IOException {
        PrivateKey key = readPrivateKey(keyFile);
        X509Certificate certificate = readCertificate(certificateFile);
        checkPair(key, certificate, keyFile, certificateFile);
        return new TlsIdentity(key, certificate);
    }

    /**
     * Signs a fresh challenge with the key and verifies it with the certificate's public key: a server whose key and
     * certificate do not belong together would start and then fail every handshake, so it must not start.
     */
    static void checkPair(PrivateKey key, X509Certificate certificate, Path keyFile, Path certificateFile) throws IOException {
        String algorithm = switch (key.getAlgorithm()) {
            case "EC", "ECDSA" -> "SHA256withECDSA";
            case "RSA" -> "SHA256withRSA";
            case "Ed25519", "EdDSA" -> "Ed25519";
            default -> throw new IOException(keyFile + ": unsupported key algorithm " + key.getAlgorithm());
        };
        byte[] challenge = new byte[32];
        new java.security.SecureRandom().nextBytes(challenge);
        try {
            java.security.Signature sign = java.security.Signature.getInstance(algorithm);
            sign.initSign(key);
            sign.update(challenge);
            byte[] signature = sign.sign();
            java.security.Signature verify = java.security.Signature.getInstance(algorithm);
            verify.initVerify(certificate.getPublicKey());
            verify.update(challenge);
            if (!verify.verify(signature)) {
                throw new IOException("the key in " + keyFile + " does not belong to the certificate in " + certificateFile
                        + " (a signature by the key does not verify with the certificate's public key)");
            }
        } catch (GeneralSecurityException e) {
            throw new IOException("the key in " + keyFile + " does not belong to the certificate in " + certificateFile + ": "
                    + e.getMessage(), e);
        }
    }

    public static X509Certificate readCertificate(Path certificateFile) throws IOException {
        Object parsed = parseOne(certificateFile);
        if (!(parsed instanceof X509CertificateHolder holder)) {
            throw new IOException(certificateFile + " holds no PEM certificate");
        }
        try {
            return new JcaX509CertificateConverter().getCertificate(holder);
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot decode the certificate in " + certificateFile + ": " + e.getMessage(), e);
        }
    }

    private static PrivateKey readPrivateKey(Path keyFile) throws IOException {
        Object parsed = parseOne(keyFile);
        JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
        if (parsed instanceof PrivateKeyInfo info) {
            return converter.getPrivateKey(info);
        }
        if (parsed instanceof PEMKeyPair pair) {
            return converter.getPrivateKey(pair.getPrivateKeyInfo());
        }
        throw new IOException(keyFile + " holds no unencrypted PEM private key");
    }

    private static Object parseOne(Path file) throws IOException {
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.US_ASCII);
             PEMParser parser = new PEMParser(reader)) {
            Object parsed = parser.readObject();
            if (parsed == null) {
                throw new IOException(file + " holds no PEM object");
            }
            return parsed;
        }
    }

    private static Object pkcs8(PrivateKey key) {
        try {
            // PKCS#8 ("PRIVATE KEY"), the form OpenSSL 3 and the JDK read; not the SEC1 "EC PRIVATE KEY" form.
            return new JcaPKCS8Generator(key, null).generate();
        } catch (org.bouncycastle.util.io.pem.PemGenerationException e) {
            throw new IllegalStateException("cannot encode the private key: " + e.getMessage(), e);
        }
    }

    private static String pem(Object object) {
        StringWriter text = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
            writer.writeObject(object);
        } catch (IOException e) {
            throw new IllegalStateException("cannot encode PEM: " + e.getMessage(), e);
        }
        return text.toString();
    }
}
