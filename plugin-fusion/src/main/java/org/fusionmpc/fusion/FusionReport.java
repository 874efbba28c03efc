package org.fusionmpc.fusion;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The client's verification report for one session: the verdict, the checks and their numbers, the
 * parameters and probabilities behind them, cost; {@link #labels()} only on ACCEPT. {@link #toJson()} is the
 * machine-readable form.
 */
public record FusionReport(Verdict verdict, int[] labels, List<String> failures, FusionParams params, int publicCorrect,
                           double accuracyEstimate, double[] accuracyInterval, int inconsistentQueries, long nanos,
                           long bytesSent, long bytesReceived, String model) {

    public boolean accepted() {
        return verdict == Verdict.ACCEPT;
    }

    public String toJson() {
        StringBuilder b = new StringBuilder("{");
        field(b, "verdict", '"' + verdict.name() + '"');
        field(b, "model", quote(model));
        List<String> l = new ArrayList<>();
        if (labels != null) {
            for (int x : labels) {
                l.add(Integer.toString(x));
            }
        }
        field(b, "labels", labels == null ? "null" : "[" + String.join(",", l) + "]");
        List<String> f = new ArrayList<>();
        for (String s : failures) {
            f.add(quote(s));
        }
        field(b, "failures", "[" + String.join(",", f) + "]");
        FusionParams p = params;
        field(b, "queries", p.queries());
        field(b, "replicas", p.replicas());
        field(b, "public_slots", p.publicSlots());
        field(b, "slots", p.slots());
        field(b, "threshold", p.threshold());
        field(b, "public_correct", publicCorrect);
        field(b, "inconsistent_queries", inconsistentQueries);
        field(b, "claimed_accuracy", num(p.targets().claimedAccuracy()));
        field(b, "accuracy_estimate", num(accuracyEstimate));
        field(b, "accuracy_ci95", "[" + num(accuracyInterval[0]) + "," + num(accuracyInterval[1]) + "]");
        field(b, "escape_probability", num(p.escape()));
        field(b, "false_alarm_probability", num(p.falseAlarm()));
        field(b, "miss_probability", num(p.miss()));
        field(b, "seconds", num(nanos / 1e9));
        field(b, "bytes_sent", bytesSent);
        field(b, "bytes_received", bytesReceived);
        b.setLength(b.length() - 1);
        return b.append('}').toString();
    }

    private static void field(StringBuilder b, String k, Object v) {
        b.append('"').append(k).append("\":").append(v).append(',');
    }

    private static String num(double d) {
        return Double.isFinite(d) ? String.format(Locale.ROOT, "%.6g", d) : "null";
    }

    /** A JSON string; control characters (a hostile model name may hold any) as \\u escapes. */
    static String quote(String s) {
        StringBuilder b = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') {
                b.append('\\').append(c);
            } else if (c < 0x20 || c == 0x7f || c == 0x2028 || c == 0x2029) {
                b.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
            } else {
                b.append(c);
            }
        }
        return b.append('"').toString();
    }
}
