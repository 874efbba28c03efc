package org.fusionmpc.samples.cli;

import java.util.Locale;
import java.util.concurrent.Callable;
import org.fusionmpc.fusion.FusionOptimizer;
import org.fusionmpc.fusion.FusionParams;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Prints the Fusion parameters the optimizer picks, the probabilities behind them, and why. */
@Command(name = "params", mixinStandardHelpOptions = true,
        description = "Choose Fusion's replicas R and public samples B for q private queries, and explain the choice.")
final class ParamsCommand implements Callable<Integer> {

    @Option(names = "--queries", defaultValue = "1", description = "Private queries per session, q (default: ${DEFAULT-VALUE}).")
    int queries;

    @Option(names = "--claimed-accuracy", defaultValue = "0.9867", description = "The server's claimed accuracy (default: ${DEFAULT-VALUE}, MiniONN's).")
    double claimed;

    @Option(names = "--json", description = "One JSON object instead of text.")
    boolean json;

    @Mixin
    FusionOptions targets = new FusionOptions();

    @Override
    public Integer call() {
        FusionParams p = FusionOptimizer.choose(targets.targets(queries, claimed));
        double pStar = FusionOptimizer.halfDetectionFrequency(p);
        if (json) {
            System.out.printf(Locale.ROOT, "{\"queries\":%d,\"replicas\":%d,\"public_slots\":%d,\"slots\":%d,\"threshold\":%d,"
                            + "\"cost_per_query\":%.4f,\"escape\":%.6g,\"worst_k\":%d,\"false_alarm\":%.6g,\"miss\":%.6g,\"half_detection_frequency\":%.6g}%n",
                    queries, p.replicas(), p.publicSlots(), p.slots(), p.threshold(), p.costPerQuery(), p.escape(), p.worstK(),
                    p.falseAlarm(), p.miss(), pStar);
            return 0;
        }
        System.out.printf(Locale.ROOT, "R = %d, B = %d, N = %d slots, pass at >= %d of %d public right; cost %.2f semi-honest inferences per private query%n",
                p.replicas(), p.publicSlots(), p.slots(), p.threshold(), p.publicSlots(), p.costPerQuery());
        System.out.println(p.explain());
        System.out.printf(Locale.ROOT, "input-dependent cheating (changing answers only for a fraction p of inputs): detected with probability%n");
        for (double f : new double[] {0.005, 0.01, 0.02, 0.05, 0.1, 0.2}) {
            System.out.printf(Locale.ROOT, "  p = %-5s %.3f%n", f, FusionOptimizer.detectAccuracy(p, claimed - f));
        }
        System.out.printf(Locale.ROOT, "  deviations touching under p = %.3f of inputs are caught less than half the time: they hide in the accuracy threshold's slack%n", pStar);
        return 0;
    }
}
