package org.fusionmpc.samples.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Unmatched;

/**
 * Runs the JMH suite packaged in this jar. Arguments go to JMH unchanged (a benchmark regex, {@code -f},
 * {@code -wi}, {@code -p op=rot}, ...); unless the caller chose a result file, results are written as JMH
 * JSON to {@code jmh-result.json} in the working directory.
 */
@Command(name = "jmh", mixinStandardHelpOptions = false,
        description = {"Run the JMH benchmarks (OtBenchmarks, PrimitiveBenchmarks, ...).",
            "Arguments are JMH's own, e.g.: ./fusion jmh OtBenchmarks -p op=rot ; ./fusion jmh -l ; ./fusion jmh -h",
            "Results go to jmh-result.json as JMH JSON (-rff FILE and -rf FORMAT change that)."})
final class JmhCommand implements Callable<Integer> {

    @Unmatched
    List<String> args = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        List<String> a = new ArrayList<>(args);
        if (!a.contains("-rf")) {
            a.add("-rf");
            a.add("json");
        }
        if (!a.contains("-rff")) {
            a.add("-rff");
            a.add("jmh-result.json");
        }
        CommandLineOptions options = new CommandLineOptions(a.toArray(String[]::new));
        if (options.shouldHelp()) {
            options.showHelp();
            return 0;
        }
        Runner runner = new Runner(options);
        if (options.shouldList()) {
            runner.list();
            return 0;
        }
        return runner.run().isEmpty() ? 1 : 0;
    }
}
