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
}
