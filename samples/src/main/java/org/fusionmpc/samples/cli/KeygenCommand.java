package org.fusionmpc.samples.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.fusionmpc.api.tls.TlsIdentity;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Writes a TLS key pair and self-signed certificate, and prints the fingerprint the peer pins. */
@Command(name = "keygen", mixinStandardHelpOptions = true,
        description = "Write an ECDSA P-256 key (NAME.key.pem, owner-only) and a self-signed certificate (NAME.crt.pem),"
                + " and print the certificate's SHA-256 fingerprint for the peer to pin.")
final class KeygenCommand implements Callable<Integer> {

    @Option(names = "--name", defaultValue = "server", description = "File name stem and certificate CN (default: ${DEFAULT-VALUE}).")
    String name;

    @Option(names = "--out", defaultValue = ".", description = "Directory to write into (default: current directory).")
    Path out;

    @Option(names = "--force", description = "Overwrite existing files.")
    boolean force;

    @Override
    public Integer call() throws Exception {
        Files.createDirectories(out);
        Path key = out.resolve(name + ".key.pem");
        Path cert = out.resolve(name + ".crt.pem");
        if (!force && (Files.exists(key) || Files.exists(cert))) {
            throw new IllegalArgumentException(key + " or " + cert + " exists already; pass --force to replace them");
        }
        TlsIdentity identity = TlsIdentity.selfSigned(name);
        identity.writePem(key, cert);
        System.out.println("key:         " + key);
        System.out.println("certificate: " + cert);
        System.out.println("fingerprint: " + identity.fingerprint().hex());
        return 0;
    }
}
