package org.fusionmpc.samples.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordingFile;

/**
 * Splits a {@code bench infer} run into the table of the benchmark page: CPU samples of a JFR recording by
 * operation (which frame of the RLWE engine, the comparisons or the channel they fall in), and wall time by layer
 * kind from the run's progress lines (3×3, 1×1, strided, dense convolutions and the non-linear layers). Prints
 * JSON lines. Run:
 * <pre>
 * FUSION_JAVA_OPTS="-XX:StartFlightRecording=filename=r.jfr,settings=profile" ./fusion bench infer ... 2&gt; progress.txt
 * java -cp samples/target/fusion.jar org.fusionmpc.samples.bench.JfrProfile r.jfr progress.txt LABEL
 * </pre>
 */
public final class JfrProfile {

    private JfrProfile() {
    }

    /** Operation rules in order: the first whose marker is anywhere on a sample's stack names it. */
    private static final String[][] OPS = {
        {"weight preparation (once per model)", "PreparedWeights.prepare"},
        {"slot keys", "HeLinearEngine.ensureSlotKeys"},
        {"weight encoding + NTT (per session)", "HeLinearEngine.montgomeryNtt", "HeLinearEngine.weightNtt", "CheetahConv.encodeKernel",
            "CheetahMatVec.encodeWeights", "ConvPlan.weights", "DensePlan.weights", "PhasedConvPlan.weights", "ConvPlan.expand"},
        {"comparisons and OT (non-linear)", "org.fusionmpc.gc.", "org.fusionmpc.ot."},
        {"modulus switching", "HeLinearEngine.switchDown"},
        {"serialisation", "CiphertextCodec."},
        {"client encryption and decryption", "SecretKeyRlwe.encrypt", "SecretKeyRlwe.decrypt"},
        {"input encoding (server's share)", "ConvPlan.input", "DensePlan.input", "PhasedConvPlan.input", "PhasedConvPlan.phase"},
    };

    /** Operation rules on the top frames only (inside the engine's server step). */
    private static final String[][] LEAF = {
        {"pointwise products", "Ntt.multiplyAccumulate", "HeLinearEngine.multiplyAdd"},
        {"NTT (inputs, outputs, keys)", "Ntt.forward", "Ntt.inverse", "Ntt.shoupMulLazy", "Modulus.montMul"},
        {"noise sampling and flooding", "HeLinearEngine.finishAndSend", "SecretKeyRlwe.noise", "Prg.", "com.sun.crypto", "sun.security"},
    };

    public static void main(String[] args) throws IOException {
        if (args.length < 2) {
            System.err.println("usage: JfrProfile RECORDING.jfr PROGRESS.txt [LABEL]");
            System.exit(2);
        }
        String label = args.length > 2 ? args[2] : "run";
        Map<String, Long> ops = new LinkedHashMap<>();
        long total = 0;
        for (RecordedEvent e : RecordingFile.readAllEvents(Path.of(args[0]))) {
            if (!e.getEventType().getName().equals("jdk.ExecutionSample") || e.getStackTrace() == null) {
                continue;
            }
            total++;
            ops.merge(classify(e.getStackTrace().getFrames()), 1L, Long::sum);
        }
        for (Map.Entry<String, Long> op : ops.entrySet()) {
            System.out.printf(Locale.ROOT, "{\"bench\":\"profile-op\",\"run\":\"%s\",\"op\":\"%s\",\"samples\":%d,\"share\":%.4f}%n",
                    label, op.getKey(), op.getValue(), (double) op.getValue() / Math.max(1, total));
        }
        Map<String, Double> kinds = layerKinds(Files.readString(Path.of(args[1])));
        double wall = kinds.values().stream().mapToDouble(Double::doubleValue).sum();
        for (Map.Entry<String, Double> k : kinds.entrySet()) {
            System.out.printf(Locale.ROOT, "{\"bench\":\"profile-layer\",\"run\":\"%s\",\"kind\":\"%s\",\"seconds\":%.2f,\"share\":%.4f}%n",
                    label, k.getKey(), k.getValue(), k.getValue() / Math.max(1e-9, wall));
        }
    }

    static String classify(List<RecordedFrame> frames) {
        for (String[] rule : OPS) {
            for (RecordedFrame f : frames) {
                String m = name(f);
                for (int i = 1; i < rule.length; i++) {
                    if (m.contains(rule[i])) {
                        return rule[0];
                    }
                }
            }
        }
        for (int depth = 0; depth < Math.min(3, frames.size()); depth++) {
            String m = name(frames.get(depth));
            for (String[] rule : LEAF) {
                for (int i = 1; i < rule.length; i++) {
                    if (m.contains(rule[i])) {
                        return rule[0];
                    }
                }
            }
        }
        for (RecordedFrame f : frames) {
            if (name(f).contains("HeLinearEngine.")) {
                return "other RLWE engine work";
            }
        }
        return "other (channel, GC, pipeline)";
    }

    private static String name(RecordedFrame f) {
        return f.getMethod().getType().getName() + "." + f.getMethod().getName();
    }

    private static final Pattern STEP = Pattern.compile("\\[\\s*([0-9.]+) s\\] input [0-9]+/[0-9]+: (layer [0-9]+/[0-9]+ (\\w+)\\[([^\\]]*)\\]|revealing)");

    /** Wall seconds per layer kind from the progress lines (each step lasts until the next one starts). */
    static Map<String, Double> layerKinds(String progress) {
        Map<String, Double> kinds = new LinkedHashMap<>();
        Matcher m = STEP.matcher(progress);
        String kind = null;
        double since = 0;
        while (m.find()) {
            double t = Double.parseDouble(m.group(1));
            if (kind != null) {
                kinds.merge(kind, t - since, Double::sum);
            }
            kind = m.group(3) == null ? null : kindOf(m.group(3), m.group(4));
            since = t;
        }
        return kinds;
    }

    private static String kindOf(String layer, String args) {
        if (layer.equals("Dense")) {
            return "dense";
        }
        if (!layer.equals("Conv")) {
            return "non-linear and local (" + (layer.equals("Relu") || layer.equals("MaxPool") ? layer : "other") + ")";
        }
        String[] g = args.split(",\\s*");
        int k = Integer.parseInt(g[4].trim());
        int stride = Integer.parseInt(g[6].trim());
        return stride > 1 ? "conv strided" : k == 1 ? "conv 1x1" : "conv " + k + "x" + k;
    }
}
