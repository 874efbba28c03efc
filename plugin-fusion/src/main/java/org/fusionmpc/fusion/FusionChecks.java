package org.fusionmpc.fusion;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.fusionmpc.semihonest.InferenceResult;

/**
 * The client's checks on the N answers of a session, separated from the networking so that the plaintext
 * harness (thousands of simulated sessions) and the real protocol run the same code.
 */
final class FusionChecks {

    private FusionChecks() {
    }

    /**
     * @param slotLabels    the answer of each slot, in slot order
     * @param layout        {@link SlotLayout} of the session
     * @param publicLabels  ground truth of public sample i (in the order the layout drew them)
     */
    static FusionReport check(FusionParams p, SlotLayout layout, int[] slotLabels, int[] publicLabels, long nanos,
                              long sent, long received, String model) {
        List<String> failures = new ArrayList<>();
        int q = p.queries();
        int r = p.replicas();
        int[] labels = new int[q];
        int inconsistent = 0;
        for (int i = 0; i < q; i++) {
            int[] got = new int[r];
            for (int c = 0; c < r; c++) {
                got[c] = slotLabels[layout.replicaSlot(i, c)];
            }
            labels[i] = got[0];
            if (Arrays.stream(got).anyMatch(x -> x != got[0])) {
                inconsistent++;
                if (inconsistent <= 5) {
                    // The answers themselves are private results of a rejected session: say how they disagree, not what they are.
                    failures.add("consistency: the " + r + " replicas of query " + i + " gave " + Arrays.stream(got).distinct().count()
                            + " different answers");
                }
            }
        }
        long outOfRange = Arrays.stream(slotLabels).filter(x -> x == InferenceResult.NO_CLASS).count();
        if (outOfRange > 0) {
            failures.add("range: " + outOfRange + " of " + slotLabels.length + " slots decoded to no class of the model");
        }
        if (inconsistent > 5) {
            failures.add("consistency: " + inconsistent + " of " + q + " queries have disagreeing replicas");
        }
        int correct = 0;
        for (int j = 0; j < p.publicSlots(); j++) {
            correct += slotLabels[layout.publicSlot(j)] == publicLabels[j] ? 1 : 0;
        }
        int b = p.publicSlots();
        if (correct < p.threshold()) {
            failures.add(String.format(Locale.ROOT, "accuracy: %d of %d public samples right (%.1f%%), the threshold is %d (%.1f%%) for a claimed %.2f%%; short by %d",
                    correct, b, 100.0 * correct / b, p.threshold(), 100.0 * p.threshold() / b, 100 * p.targets().claimedAccuracy(),
                    p.threshold() - correct));
        }
        double[] ci = Binomials.clopperPearson(correct, b, 0.05);
        Verdict v = failures.isEmpty() ? Verdict.ACCEPT : Verdict.REJECT;
        return new FusionReport(v, v == Verdict.ACCEPT ? labels : null, List.copyOf(failures), p, correct,
                (double) correct / b, ci, inconsistent, nanos, sent, received, model);
    }

    /** Records the session's public outcomes in the ledger and folds its sequential test into the verdict. */
    static FusionReport withLedger(FusionReport r, AccuracyLedger ledger, String server, double alpha) {
        FusionParams p = r.params();
        String failure = ledger.record(server, p.publicSlots(), r.publicCorrect(), p.targets().claimedAccuracy(), alpha);
        if (failure == null) {
            return r;
        }
        List<String> failures = new ArrayList<>(r.failures());
        failures.add(failure);
        return new FusionReport(Verdict.REJECT, null, List.copyOf(failures), p, r.publicCorrect(), r.accuracyEstimate(),
                r.accuracyInterval(), r.inconsistentQueries(), r.nanos(), r.bytesSent(), r.bytesReceived(), r.model());
    }
}
