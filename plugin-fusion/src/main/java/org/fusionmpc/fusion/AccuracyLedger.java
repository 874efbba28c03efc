package org.fusionmpc.fusion;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
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
 * <p>The claim can change from session to session; each entry keeps the lowest claim it has been recorded under
 * and tests against that, so an honest server (at least as accurate as every claim it made) is still rejected with
 * probability at most α.
 *
 * <p>Stored as a properties file, one entry per server key (e.g. its certificate fingerprint), sealed by a SHA-256
 * of its entries so a truncated or hand-edited file is refused rather than read as other counts; every entry is
 * checked for consistency (0 ≤ right ≤ checked, no checks without a session). Each {@link #record} re-reads the
 * file under an exclusive lock (two clients sharing it lose no update), writes a temporary file, forces it to disk
 * and moves it into place atomically.
 */
public final class AccuracyLedger {

    static final String SEAL = "_sha256";
    /** Public samples one session may check (the optimizer's B is at most 20,000). */
    private static final long MAX_CHECKED_PER_SESSION = FusionOptimizer.MAX_PUBLIC;

    private static final java.util.concurrent.ConcurrentHashMap<Path, Object> IN_PROCESS = new java.util.concurrent.ConcurrentHashMap<>();

    private final Path file;
    private final Properties entries = new Properties();

    private AccuracyLedger(Path file) {
        this.file = file;
    }

    /** Opens (or starts) the ledger in {@code file}; a damaged file is a clear error. */
    public static AccuracyLedger open(Path file) {
        AccuracyLedger l = new AccuracyLedger(file);
        l.load();
        return l;
    }

    private void load() {
        entries.clear();
        if (!Files.exists(file)) {
            return;
        }
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            entries.load(r);
        } catch (IOException | IllegalArgumentException e) {
            throw new IllegalStateException("cannot read the ledger " + file + ": " + e.getMessage(), e);
        }
        String seal = (String) entries.remove(SEAL);
        if (seal == null || !seal.equals(seal(entries))) {
            throw new IllegalStateException("the ledger " + file + " is truncated or was edited (its seal does not match its entries);"
                    + " move it away to start a new one");
        }
        for (String k : entries.stringPropertyNames()) {
            parse(k, entries.getProperty(k));
        }
    }

    /** Cumulative counts for a server: {sessions, public answers checked, right ones}. */
    public long[] counts(String server) {
        String v = entries.getProperty(key(server));
        if (v == null) {
            return new long[3];
        }
        long[] c = parse(server, v);
        return new long[] {c[0], c[1], c[2]};
    }

    /** The lowest claim the entry for {@code server} was recorded under (NaN when it has none). */
    public double lowestClaim(String server) {
        String v = entries.getProperty(key(server));
        return v == null ? Double.NaN : Double.longBitsToDouble(parse(server, v)[3]);
    }

    /** {sessions, checked, right, bits of the lowest claim}, checked to be possible. */
    private static long[] parse(String server, String v) {
        String[] p = v.split(",");
        long[] c = new long[4];
        try {
            if (p.length != 4) {
                throw new NumberFormatException("4 fields expected");
            }
            for (int i = 0; i < 3; i++) {
                c[i] = Long.parseLong(p[i].strip());
            }
            double claim = Double.parseDouble(p[3].strip());
            c[3] = Double.doubleToLongBits(claim);
            if (c[0] < 0 || c[1] < 0 || c[2] < 0 || c[2] > c[1] || c[1] > c[0] * MAX_CHECKED_PER_SESSION
                    || c[1] > Integer.MAX_VALUE || !(claim > 0 && claim <= 1)) {
                throw new NumberFormatException("impossible counts");
            }
        } catch (NumberFormatException e) {
            throw new IllegalStateException("the ledger entry for " + server + " is impossible or malformed (" + e.getMessage()
                    + "): " + v + "; expected sessions,checked,right,claim with right <= checked <= sessions x "
                    + MAX_CHECKED_PER_SESSION, e);
        }
        return c;
    }

    /**
     * Adds one session's public outcomes and runs the sequential test; returns null when it passes, or the
     * failure's description. The entry is saved either way.
     */
    public String record(String server, int checked, int correct, double claimed, double alpha) {
        if (checked < 0 || correct < 0 || correct > checked || checked > MAX_CHECKED_PER_SESSION || !(claimed > 0 && claimed <= 1)) {
            throw new IllegalArgumentException("impossible session outcome: " + correct + " of " + checked + " right at a claim of " + claimed);
        }
        long k;
        long n;
        long x;
        double claim;
        try {
            Path parent = file.toAbsolutePath().normalize().getParent();
            Files.createDirectories(parent);
            Path lockPath = parent.resolve(file.getFileName() + ".lock");
            // A file lock excludes other processes; within this JVM it would throw, so threads queue on a monitor first.
            Object monitor = IN_PROCESS.computeIfAbsent(lockPath, path -> new Object());
            synchronized (monitor) {
                try (FileChannel lockFile = FileChannel.open(lockPath, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                     FileLock lock = lockFile.lock()) {
                    load(); // another client may have recorded a session since this one opened the ledger
                    long[] c = counts(server);
                    double lowest = lowestClaim(server);
                    k = c[0] + 1;
                    n = c[1] + checked;
                    x = c[2] + correct;
                    claim = Double.isNaN(lowest) ? claimed : Math.min(lowest, claimed);
                    if (n > Integer.MAX_VALUE) {
                        throw new IllegalStateException("ledger for " + server + " holds more outcomes than the test handles");
                    }
                    entries.setProperty(key(server), k + "," + n + "," + x + "," + claim);
                    save(parent);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot update the ledger " + file + ": " + e.getMessage(), e);
        }
        double alphaK = alpha * 6 / (Math.PI * Math.PI * k * k);
        double p = Binomials.cdf((int) n, claim, (int) x);
        if (p <= alphaK) {
            return String.format(Locale.ROOT, "ledger: %d of %d public samples right over %d sessions (%.2f%% for a lowest claim of %.2f%%); "
                    + "P = %.3g at most, below this session's level %.3g", x, n, k, 100.0 * x / n, 100 * claim, p, alphaK);
        }
        return null;
    }

    private static String key(String server) {
        return server.replaceAll("[^A-Za-z0-9._-]", "_");
    }

    /** SHA-256 over the entries in key order. */
    static String seal(Properties entries) {
        try {
            java.security.MessageDigest md = java.security.MessageDigest.getInstance("SHA-256");
            for (String k : new java.util.TreeSet<>(entries.stringPropertyNames())) {
                md.update((k + "=" + entries.getProperty(k) + "\n").getBytes(StandardCharsets.UTF_8));
            }
            return java.util.HexFormat.of().formatHex(md.digest());
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private void save(Path parent) throws IOException {
        Properties sealed = new Properties();
        sealed.putAll(entries);
        sealed.setProperty(SEAL, seal(entries));
        Path tmp = Files.createTempFile(parent, "ledger", ".tmp");
        try {
            try (Writer w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
                sealed.store(w, "Fusion accuracy ledger: server = sessions,public checked,public right,lowest claim");
            }
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                ch.force(true);
            }
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
