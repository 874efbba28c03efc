package org.fusionmpc.site;

import static org.fusionmpc.site.SiteGenerator.fmt;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The generated part of the benchmark page: tables and plots from bench JSON lines and JMH results. */
final class Benchmarks {

    private Benchmarks() {
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> lines(Path file) throws IOException {
        List<Map<String, Object>> out = new ArrayList<>();
        if (!Files.exists(file)) {
            return out;
        }
        for (String l : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            if (!l.isBlank()) {
                out.add((Map<String, Object>) Json.parse(l));
            }
        }
        return out;
    }

    static double num(Map<String, Object> m, String k) {
        Object v = m.get(k);
        return v instanceof Double d ? d : Double.NaN;
    }

    static String render(Path data, Path img) throws IOException {
        StringBuilder md = new StringBuilder();
        jmh(data.resolve("jmh-result.json"), img, md);
        simple(md, img, "Channels", "bench-channel.jsonl", data, "channels.png", "Channel throughput, 64 KiB messages", "MB/s",
                l -> ((String) l.get("bench")).startsWith("channel-"));
        simple(md, img, "Oblivious transfer", "bench-ot.jsonl", data, "ot.png", "OT throughput, 2^22 OTs, one thread per party", "OT/s",
                l -> !"base-ot".equals(l.get("bench")));
        simple(md, img, "Garbled circuits", "bench-gc.jsonl", data, "gc.png", "Half-gates AND gates per second, one thread", "AND/s",
                l -> ((String) l.get("bench")).endsWith("-and"));
        simple(md, img, "Secure linear layers", "bench-ring.jsonl", data, null, null, null, l -> true);
        simple(md, img, "RLWE arithmetic", "bench-he.jsonl", data, null, null, null, l -> true);
        profile(data, "resnet50", "ResNet-50", md);
        profile(data, "minionn-cifar10", "MiniONN CIFAR-10", md);
        inference(data, img, md);
        simple(md, img, "Batches (semi-honest packing)", "bench-infer-batch.jsonl", data, null, null, null, l -> true);
        wan(data.resolve("bench-infer-wan.jsonl"), md);
        fusion(data.resolve("bench-fusion.jsonl"), img, md);
        fusionCifar(data.resolve("bench-fusion-minionn-cifar10.jsonl"), md);
        return md.toString();
    }

    interface Filter {
        boolean keep(Map<String, Object> line);
    }

    private static void simple(StringBuilder md, Path img, String title, String file, Path data, String png, String plotTitle,
                               String unit, Filter plotted) throws IOException {
        List<Map<String, Object>> lines = lines(data.resolve(file));
        md.append("\n## ").append(title).append("\n\nFrom `").append(file).append("`.\n\n");
        if (lines.isEmpty()) {
            md.append("(no data)\n");
            return;
        }
        table(md, lines);
        if (png != null) {
            Map<String, Map<String, Double>> bars = new LinkedHashMap<>();
            for (Map<String, Object> l : lines) {
                if (plotted.keep(l)) {
                    Map<String, Double> series = new LinkedHashMap<>();
                    series.put("measured", num(l, "value"));
                    if (!Double.isNaN(num(l, "baseline_value"))) {
                        series.put("baseline: " + l.get("baseline"), num(l, "baseline_value"));
                    }
                    bars.put((String) l.get("bench"), series);
                }
            }
            Plots.bars(img.resolve(png), plotTitle, unit, bars, true, false);
            md.append("\n![").append(plotTitle).append("](img/").append(png).append(")\n");
        }
    }

    /**
     * The JFR profile of ResNet-50 runs, before and after a change: CPU samples by operation and wall time by layer
     * kind, one column per run (lines from the JfrProfile splitter).
     */
    private static void profile(Path data, String network, String title, StringBuilder md) throws IOException {
        Path file = data.resolve("profile-" + network + ".jsonl");
        md.append("\n## Where ").append(title).append("'s time goes\n\nFrom `profile-").append(network)
                .append(".jsonl`: `bench infer --network ").append(network).append("` recorded with JFR ")
                .append("(`FUSION_JAVA_OPTS=\"-XX:StartFlightRecording=filename=r.jfr,settings=profile\"`) and split by ")
                .append("`java -cp samples/target/fusion.jar org.fusionmpc.samples.bench.JfrProfile r.jfr progress.txt RUN`. ")
                .append("Share of CPU samples by operation (both parties, one JVM), then wall seconds by layer kind (summed over ")
                .append("the run's inputs). The after run's `infer-` lines are in `bench-infer-").append(network).append("-he.jsonl`.\n\n");
        List<Map<String, Object>> lines = lines(file);
        if (lines.isEmpty()) {
            md.append("(no data)\n");
            return;
        }
        List<String> runs = new ArrayList<>();
        for (Map<String, Object> l : lines) {
            String r = (String) l.get("run");
            if (!runs.contains(r)) {
                runs.add(r);
            }
        }
        for (String[] kind : new String[][] {{"profile-op", "op", "share", "operation (share of CPU samples)"},
            {"profile-layer", "kind", "seconds", "layer kind (wall seconds)"}}) {
            Map<String, Map<String, Double>> rows = new LinkedHashMap<>();
            for (Map<String, Object> l : lines) {
                if (kind[0].equals(l.get("bench"))) {
                    rows.computeIfAbsent((String) l.get(kind[1]), k -> new LinkedHashMap<>()).put((String) l.get("run"), num(l, kind[2]));
                }
            }
            md.append("| ").append(kind[3]).append(" | ").append(String.join(" | ", runs)).append(" |\n|---|");
            runs.forEach(r -> md.append("---|"));
            md.append('\n');
            for (Map.Entry<String, Map<String, Double>> row : rows.entrySet()) {
                md.append("| ").append(row.getKey());
                for (String r : runs) {
                    Double v = row.getValue().get(r);
                    md.append(" | ").append(v == null ? "" : kind[2].equals("share") ? String.format(java.util.Locale.ROOT, "%.1f%%", 100 * v) : fmt(v));
                }
                md.append(" |\n");
            }
            // Shares hide how much smaller the whole became: the total beside them.
            md.append("| **total ").append(kind[2].equals("share") ? "CPU samples" : "seconds").append("**");
            for (String r : runs) {
                double total = lines.stream().filter(l -> kind[0].equals(l.get("bench")) && r.equals(l.get("run")))
                        .mapToDouble(l -> num(l, kind[2].equals("share") ? "samples" : "seconds")).sum();
                md.append(" | ").append(fmt(total));
            }
            md.append(" |\n");
            md.append('\n');
        }
    }

    static void table(StringBuilder md, List<Map<String, Object>> lines) {
        List<String> cols = new ArrayList<>();
        for (String c : new String[] {"bench", "value", "unit", "baseline", "baseline_value", "ratio", "n", "bytes_sent", "bytes_received",
            "bytes_per_ot", "bytes_per_relu", "bytes_per_comparison", "bytes_per_mac", "rounds", "ok"}) {
            if (lines.stream().anyMatch(l -> l.containsKey(c))) {
                cols.add(c);
            }
        }
        md.append("| ").append(String.join(" | ", cols)).append(" |\n|");
        cols.forEach(c -> md.append("---|"));
        md.append('\n');
        for (Map<String, Object> l : lines) {
            md.append('|');
            for (String c : cols) {
                Object v = l.get(c);
                md.append(' ').append(v == null ? "" : v instanceof Double d ? fmt(d) : v.toString()).append(" |");
            }
            md.append('\n');
        }
    }

    @SuppressWarnings("unchecked")
    private static void jmh(Path file, Path img, StringBuilder md) throws IOException {
        md.append("\n## Primitives (JMH)\n\nFrom `jmh-result.json` (`./fusion jmh`): throughput per operation on one thread, ");
        md.append("two-party ones over the in-memory channel with the peer on a second thread.\n\n");
        if (!Files.exists(file)) {
            md.append("(no data)\n");
            return;
        }
        List<Object> results = (List<Object>) Json.parse(Files.readString(file));
        md.append("| benchmark | params | score | error | unit |\n|---|---|---|---|---|\n");
        Map<String, Map<String, Double>> bars = new LinkedHashMap<>();
        for (Object o : results) {
            Map<String, Object> r = (Map<String, Object>) o;
            String name = ((String) r.get("benchmark")).replace("org.fusionmpc.samples.jmh.", "");
            Map<String, Object> params = (Map<String, Object>) r.getOrDefault("params", Map.of());
            Map<String, Object> metric = (Map<String, Object>) r.get("primaryMetric");
            double score = num(metric, "score");
            String unit = (String) metric.get("scoreUnit");
            md.append("| ").append(name).append(" | ").append(params.isEmpty() ? "" : params.toString()).append(" | ").append(fmt(score))
                    .append(" | ").append(fmt(num(metric, "scoreError"))).append(" | ").append(unit).append(" |\n");
            if (unit.equals("ops/s")) {
                String label = name.substring(name.indexOf('.') + 1) + (params.isEmpty() ? "" : " " + params.values());
                bars.put(label.replace("{", "").replace("}", ""), SiteGenerator.one("ops/s", score));
            }
        }
        Plots.bars(img.resolve("jmh.png"), "JMH throughput (operations per second, log scale)", "ops/s", bars, true, false, true);
        md.append("\n![JMH throughput](img/jmh.png)\n");
    }

    private static void inference(Path data, Path img, StringBuilder md) throws IOException {
        md.append("\n## Secure inference\n\nFrom `bench-infer-*.jsonl` (`./fusion bench infer`): one session per input ");
        md.append("(MNIST test images; random inputs for `minionn-cifar10` and `resnet50`, reference networks with random weights), ");
        md.append("means over the inputs, by linear-layer engine (`he`: RLWE, Z_2^37 shares; `ot`: Gilboa products, Z_2^64); ");
        md.append("ONNX Runtime's plaintext time for the same inputs is the baseline.\n\n");
        md.append("| model | engine | inputs | agree with ONNX Runtime | ms per inference | ONNX Runtime ms | MB per inference | rounds |\n|---|---|---|---|---|---|---|---|\n");
        Map<String, Map<String, Double>> phases = new LinkedHashMap<>();
        Map<String, Map<String, Double>> bytes = new LinkedHashMap<>();
        for (String file : new String[] {"secureml-mlp", "secureml-mlp-he", "lenet5-bn", "lenet5-bn-he", "minionn-cnn", "minionn-cnn-he",
                "minionn-cifar10-he", "resnet50-he"}) {
            String model = file.endsWith("-he") ? file.substring(0, file.length() - 3) : file;
            List<Map<String, Object>> lines = lines(data.resolve("bench-infer-" + file + ".jsonl"));
            List<Map<String, Object>> per = lines.stream().filter(l -> ((String) l.get("bench")).equals("infer-" + model)).toList();
            if (per.isEmpty()) {
                continue;
            }
            String engine = String.valueOf(per.get(0).getOrDefault("linear", "ot"));
            double agree = lines.stream().filter(l -> "infer-agreement".equals(l.get("bench"))).mapToDouble(l -> num(l, "value")).findFirst().orElse(Double.NaN);
            double ms = per.stream().mapToDouble(l -> num(l, "value")).average().orElse(0);
            double ort = per.stream().mapToDouble(l -> num(l, "baseline_value")).average().orElse(0);
            double mb = per.stream().mapToDouble(l -> num(l, "bytes_sent") + num(l, "bytes_received")).average().orElse(0) / 1e6;
            double rounds = per.stream().mapToDouble(l -> num(l, "rounds")).average().orElse(0);
            md.append("| ").append(model).append(" | ").append(engine).append(" | ").append(per.size()).append(" | ").append(fmt(100 * agree)).append("% | ")
                    .append(fmt(ms)).append(" | ").append(fmt(ort)).append(" | ").append(fmt(mb)).append(" | ").append(fmt(rounds)).append(" |\n");
            Map<String, Double> ph = new LinkedHashMap<>();
            Map<String, Double> by = new LinkedHashMap<>();
            for (String p : new String[] {"setup", "linear", "nonlinear", "output"}) {
                ph.put(p, per.stream().mapToDouble(l -> num(l, p + "_ms")).average().orElse(0));
                by.put(p, per.stream().mapToDouble(l -> num(l, p + "_bytes")).average().orElse(0) / 1e6);
            }
            if (!model.contains("cifar") && !model.contains("resnet")) { // a different scale: the table has it, the MNIST plots stay readable
                phases.put(model + " (" + engine + ")", ph);
                bytes.put(model + " (" + engine + ")", by);
            }
        }
        // category = model, series = phase: the shape stacked bars take
        Plots.bars(img.resolve("infer-time.png"), "Time per secure inference by phase", "ms", phases, false, true);
        Plots.bars(img.resolve("infer-bytes.png"), "Traffic per secure inference by phase", "MB", bytes, false, true);
        md.append("\n![Time per inference by phase](img/infer-time.png)\n\n![Traffic per inference by phase](img/infer-bytes.png)\n");
    }

    /** Inference over a shaped WAN link, kernel against in-process shaping, beside the link's own floor. */
    private static void wan(Path file, StringBuilder md) throws IOException {
        List<Map<String, Object>> lines = lines(file).stream().filter(l -> l.containsKey("wan_rtt_ms")).toList();
        md.append("\n## Over a WAN link\n\nFrom `bench-infer-wan.jsonl` (`./fusion bench infer --wan RATE:RTT`, with `--shaping kernel` ");
        md.append("and `--shaping in-process`): means over the inputs. The floor is what the link alone charges: the larger direction's ");
        md.append("bytes at the link's rate plus one rtt per round trip (rounds / 2, as `rounds` counts the client's flights).\n\n");
        if (lines.isEmpty()) {
            md.append("(no data)\n");
            return;
        }
        md.append("| model | link | shaping | inputs | ms per inference | floor ms | MB | rounds | held flushes |\n|---|---|---|---|---|---|---|---|---|\n");
        Map<String, List<Map<String, Object>>> groups = new LinkedHashMap<>();
        for (Map<String, Object> l : lines) {
            String shaping = String.valueOf(l.get("shaping"));
            String kind = shaping.startsWith("kernel") ? (shaping.contains("tbf") ? "kernel tbf + FlightDelay" : "kernel netem") : "in-process ShapedLink";
            groups.computeIfAbsent(l.get("bench") + "|" + fmt(num(l, "wan_mbit")) + " Mbit/s, " + fmt(num(l, "wan_rtt_ms")) + " ms|" + kind,
                    k -> new ArrayList<>()).add(l);
        }
        for (Map.Entry<String, List<Map<String, Object>>> g : groups.entrySet()) {
            String[] key = g.getKey().split("\\|");
            List<Map<String, Object>> per = g.getValue();
            double ms = per.stream().mapToDouble(l -> num(l, "value")).average().orElse(0);
            double floor = per.stream().mapToDouble(l -> Math.max(num(l, "bytes_sent"), num(l, "bytes_received")) * 8 / (num(l, "wan_mbit") * 1e6) * 1e3
                    + num(l, "rounds") / 2 * num(l, "wan_rtt_ms")).average().orElse(0);
            double mb = per.stream().mapToDouble(l -> num(l, "bytes_sent") + num(l, "bytes_received")).average().orElse(0) / 1e6;
            double rounds = per.stream().mapToDouble(l -> num(l, "rounds")).average().orElse(0);
            double held = per.stream().mapToDouble(l -> l.containsKey("held_flushes") ? num(l, "held_flushes") : Double.NaN).average().orElse(Double.NaN);
            md.append("| ").append(key[0].replace("infer-", "")).append(" | ").append(key[1]).append(" | ").append(key[2]).append(" | ")
                    .append(per.size()).append(" | ").append(fmt(ms)).append(" | ").append(fmt(floor)).append(" | ").append(fmt(mb))
                    .append(" | ").append(fmt(rounds)).append(" | ").append(Double.isNaN(held) ? "—" : fmt(held)).append(" |\n");
        }
    }

    /** Fusion on MiniONN's CIFAR-10 network: a cost benchmark (random weights, a public set labelled by the model itself). */
    private static void fusionCifar(Path file, StringBuilder md) throws IOException {
        List<Map<String, Object>> lines = lines(file);
        md.append("\n### Fusion on a CIFAR-shaped network\n\nFrom `bench-fusion-minionn-cifar10.jsonl` (`./fusion bench fusion --network "
                + "minionn-cifar10 --q 1,4 --shortfall 0.15 --false-alarm 0.01 --miss 0.05 --json`). This is a **cost benchmark**: MiniONN's "
                + "CIFAR-10 network with random weights, its public set random 3x32x32 inputs labelled by the network's own plaintext "
                + "forward pass, so an honest server is right on nearly all of them. It measures what verified inference of a CIFAR-sized "
                + "network costs, not an accuracy.\n\n");
        if (lines.isEmpty()) {
            md.append("(no data)\n");
            return;
        }
        md.append("| q | R | B | N | verdict | s per query | one inference (s) | ratio | expected | overhead | GB per query |\n"
                + "|---|---|---|---|---|---|---|---|---|---|---|\n");
        for (Map<String, Object> l : lines) {
            if ("fusion-cost-per-query".equals(l.get("bench"))) {
                double q = num(l, "q");
                double gb = (num(l, "bytes_sent") + num(l, "bytes_received")) / q / 1e9;
                md.append("| ").append(fmt(q)).append(" | ").append(fmt(num(l, "replicas"))).append(" | ").append(fmt(num(l, "public_slots")))
                        .append(" | ").append(fmt(num(l, "slots"))).append(" | ").append(l.get("verdict")).append(" | ")
                        .append(fmt(num(l, "value") / 1000)).append(" | ").append(fmt(num(l, "baseline_value") / 1000)).append(" | ")
                        .append(fmt(num(l, "ratio"))).append(" | ").append(fmt(num(l, "expected"))).append(" | ")
                        .append(fmt(num(l, "overhead"))).append(" | ").append(fmt(gb)).append(" |\n");
            }
        }
    }

    private static void fusion(Path file, Path img, StringBuilder md) throws IOException {
        List<Map<String, Object>> lines = lines(file);
        md.append("\n## Fusion\n\nFrom `bench-fusion.jsonl` (`./fusion bench fusion`): one Fusion session for q private queries, ");
        md.append("cost per query beside one semi-honest inference of the same run; `expected` = R + B/q slots per query, ");
        md.append("`overhead` = ratio / expected (1.0 means mixing, shuffling and checking cost nothing beyond the extra slots).\n\n");
        if (lines.isEmpty()) {
            md.append("(no data)\n");
            return;
        }
        table(md, lines);
        md.append("\n| q | R | B | N | expected | overhead (time) |\n|---|---|---|---|---|---|\n");
        List<double[]> measured = new ArrayList<>();
        List<double[]> expected = new ArrayList<>();
        for (Map<String, Object> l : lines) {
            if ("fusion-cost-per-query".equals(l.get("bench"))) {
                md.append("| ").append(fmt(num(l, "q"))).append(" | ").append(fmt(num(l, "replicas"))).append(" | ")
                        .append(fmt(num(l, "public_slots"))).append(" | ").append(fmt(num(l, "slots"))).append(" | ")
                        .append(fmt(num(l, "expected"))).append(" | ").append(fmt(num(l, "overhead"))).append(" |\n");
                measured.add(new double[] {num(l, "q"), num(l, "ratio")});
                expected.add(new double[] {num(l, "q"), num(l, "expected")});
            }
        }
        Map<String, List<double[]>> series = new LinkedHashMap<>();
        series.put("measured: cost per query / one inference", measured);
        series.put("expected: R + B/q", expected);
        Plots.lines(img.resolve("fusion.png"), "Fusion cost per private query, in semi-honest inferences", "q (private queries per session)",
                "inferences per query", series);
        md.append("\n![Fusion cost per query](img/fusion.png)\n");
    }
}
