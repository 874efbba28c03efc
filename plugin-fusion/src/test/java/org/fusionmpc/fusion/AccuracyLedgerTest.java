package org.fusionmpc.fusion;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AccuracyLedgerTest {

    /** Simulates sessions of B public samples answered right with probability {@code accuracy}; returns the session that failed, or -1. */
    static int sessionsUntilRejected(AccuracyLedger ledger, String server, int sessions, int b, double accuracy, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        for (int s = 1; s <= sessions; s++) {
            int right = 0;
            for (int i = 0; i < b; i++) {
                right += r.nextDouble() < accuracy ? 1 : 0;
            }
            if (ledger.record(server, b, right, 0.98, 1e-3) != null) {
                return s;
            }
        }
        return -1;
    }

    @Test
    void aSlightlyWorseModelIsCaughtOverTimeAndAnHonestOneIsNot(@TempDir Path dir) {
        AccuracyLedger ledger = AccuracyLedger.open(dir.resolve("ledger.properties"));
        // 40 public samples a session cannot tell 95% from 98%; a few dozen sessions can.
        int caught = sessionsUntilRejected(ledger, "cheat", 500, 40, 0.95, 1);
        System.out.println("ledger: a 95% model claiming 98% was rejected at session " + caught);
        assertTrue(caught > 1 && caught < 200, "rejected at session " + caught);
        assertTrue(sessionsUntilRejected(ledger, "honest", 500, 40, 0.98, 2) < 0, "an honest server was rejected");
        // Persisted: a reopened ledger continues the same counts.
        long[] counts = AccuracyLedger.open(dir.resolve("ledger.properties")).counts("honest");
        assertArrayEquals(new long[] {500, 20_000, counts[2]}, counts);
        assertNull(AccuracyLedger.open(dir.resolve("ledger.properties")).record("honest", 40, 40, 0.98, 1e-3));
    }

    @Test
    void honestFalseAlarmsStayWithinAlphaOverManyLedgers(@TempDir Path dir) {
        int alarms = 0;
        for (int l = 0; l < 200; l++) {
            AccuracyLedger ledger = AccuracyLedger.open(dir.resolve("l" + l));
            alarms += sessionsUntilRejected(ledger, "s", 50, 40, 0.98, 100 + l) > 0 ? 1 : 0;
        }
        // α = 1e-3 per ledger over all its sessions: 200 ledgers expect 0.2 alarms.
        assertTrue(alarms <= 2, alarms + " honest ledgers raised an alarm");
    }

    static void write(Path file, String server, String value) throws Exception {
        java.util.Properties p = new java.util.Properties();
        p.setProperty(server, value);
        p.setProperty(AccuracyLedger.SEAL, AccuracyLedger.seal(p.entrySet().stream().filter(e -> !e.getKey().equals(AccuracyLedger.SEAL))
                .collect(java.util.Properties::new, (q, e) -> q.put(e.getKey(), e.getValue()), java.util.Properties::putAll)));
        try (java.io.Writer w = java.nio.file.Files.newBufferedWriter(file)) {
            p.store(w, null);
        }
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"1,10,1000000,0.9", "-1,0,0,0.9", "1,30000,10,0.9", "0,40,0,0.9",
        "1,40,20,1.5", "1,40,20,NaN", "1,40,20", "x,40,20,0.9", "1,40,20,0.9,7"})
    void impossibleOrMalformedEntriesAreRefused(String entry, @TempDir Path dir) throws Exception {
        Path f = dir.resolve("ledger.properties");
        write(f, "srv", entry);
        IllegalStateException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class, () -> AccuracyLedger.open(f));
        assertTrue(e.getMessage().contains("impossible or malformed"), e.getMessage());
    }

    @Test
    void aTruncatedOrEditedFileIsRefused(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("ledger.properties");
        AccuracyLedger.open(f).record("srv", 40, 39, 0.98, 1e-3);
        AccuracyLedger.open(f).record("srv", 40, 38, 0.98, 1e-3);
        String text = java.nio.file.Files.readString(f);
        java.nio.file.Files.writeString(f, text.replace("2,80,77,", "2,80,7,"));
        IllegalStateException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class, () -> AccuracyLedger.open(f));
        assertTrue(e.getMessage().contains("truncated or was edited"), e.getMessage());
        java.nio.file.Files.writeString(f, text.substring(0, text.length() - 3));
        org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class, () -> AccuracyLedger.open(f));
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> AccuracyLedger.open(dir.resolve("other")).record("srv", 40, 41, 0.98, 1e-3));
    }

    @Test
    void twoClientsSharingTheFileLoseNoUpdate(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("ledger.properties");
        AccuracyLedger a = AccuracyLedger.open(f);
        AccuracyLedger b = AccuracyLedger.open(f);
        java.util.concurrent.CompletableFuture<Void> other = java.util.concurrent.CompletableFuture.runAsync(() -> {
            for (int i = 0; i < 40; i++) {
                a.record("srv", 10, 10, 0.98, 1e-3);
            }
        });
        for (int i = 0; i < 40; i++) {
            b.record("srv", 10, 9, 0.97, 1e-3);
        }
        other.get();
        assertArrayEquals(new long[] {80, 800, 760}, AccuracyLedger.open(f).counts("srv"));
        org.junit.jupiter.api.Assertions.assertEquals(0.97, AccuracyLedger.open(f).lowestClaim("srv"), "the test runs at the lowest claim seen");
    }
}
