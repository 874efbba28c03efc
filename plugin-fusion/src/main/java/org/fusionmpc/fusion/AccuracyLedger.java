package org.fusionmpc.fusion;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;
import java.util.Properties;

/**
 * The client's record of one server's public-slot outcomes across sessions (off by default). The server
 * cannot tell public slots from private ones in any session, so outcomes from many sessions are as good as
 * one large session: a long-lived client can check fewer public samples per session and still detect a
 * model a little below its claim, given time.
 *
 * <p>The sequential test: after the k-th recorded session, with n public answers checked so far and x of
 * them right, the ledger rejects when P(Binomial(n, a) ≤ x) ≤ α_k for the claimed accuracy a, where
 * α_k = α·6/(π²k²). The α_k sum to α, so an honest server is ever rejected by the ledger with probability at
 * most α over any number of sessions (a union bound over k, exact binomial tails inside).
 *
 * <p>Stored as a properties file, one entry per server key (e.g. its certificate fingerprint); written
 * atomically after each session.
 */
public final class AccuracyLedger {

    private final Path file;
    private final Properties entries = new Properties();

    private AccuracyLedger(Path file) {
        this.file = file;
    }

    /** Opens (or starts) the ledger in {@code file}. */
    public static AccuracyLedger open(Path file) {
        AccuracyLedger l = new AccuracyLedger(file);
        if (Files.exists(file)) {
            try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                l.entries.load(r);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the ledger " + file + ": " + e.getMessage(), e);
            }
        }
        return l;
    }

    /** Cumulative counts for a server: {sessions, public answers checked, right ones}. */
    public long[] counts(String server) {
        String v = entries.getProperty(key(server));
        if (v == null) {
            return new long[3];
        }
        String[] p = v.split(",");
        if (p.length != 3) {
            throw new IllegalStateException("ledger entry for " + server + " is malformed: " + v);
        }
        return new long[] {Long.parseLong(p[0]), Long.parseLong(p[1]), Long.parseLong(p[2])};
    }

    /**
     * Adds one session's public outcomes and runs the sequential test; returns null when it passes, or the
     * failure's description. The entry is saved either way.
     */
    public String record(String server, int checked, int correct, double claimed, double alpha) {
        long[] c = counts(server);
        long k = c[0] + 1;
        long n = c[1] + checked;
        long x = c[2] + correct;
        entries.setProperty(key(server), k + "," + n + "," + x);
        save();
        if (n > Integer.MAX_VALUE) {
            throw new IllegalStateException("ledger for " + server + " holds more outcomes than the test handles");
        }
        double alphaK = alpha * 6 / (Math.PI * Math.PI * k * k);
        double p = Binomials.cdf((int) n, claimed, (int) x);
        if (p <= alphaK) {
            return String.format(Locale.ROOT, "ledger: %d of %d public samples right over %d sessions (%.2f%% for a claimed %.2f%%); "
                    + "P = %.3g at most, below this session's level %.3g", x, n, k, 100.0 * x / n, 100 * claimed, p, alphaK);
        }
        return null;
    }

    private static String key(String server) {
        return server.replaceAll("[^A-Za-z0-9._-]", "_");
    }

    private void save() {
        try {
            Path parent = file.toAbsolutePath().getParent();
            Files.createDirectories(parent);
            Path tmp = Files.createTempFile(parent, "ledger", ".tmp");
            try (Writer w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
                entries.store(w, "Fusion accuracy ledger: server = sessions,public checked,public right");
            }
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the ledger " + file + ": " + e.getMessage(), e);
        }
    }
}
