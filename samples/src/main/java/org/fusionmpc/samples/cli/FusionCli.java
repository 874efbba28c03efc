package org.fusionmpc.samples.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code fusion} command line: one entry point for the demo, the parties, key generation and benchmarks. */
@Command(name = "fusion", mixinStandardHelpOptions = true, versionProvider = FusionCli.Version.class,
        description = {"Two-party secure computation SDK with verified (Fusion) neural-network inference.",
            "Run a subcommand with --help for its options."},
        exitCodeListHeading = "Exit codes:%n",
        exitCodeList = {"0:ok (demo: the verdict was the expected one)", "1:failure (connection, session, file, unexpected demo verdict)",
            "2:usage error (bad option or value)", "3:verification REJECT or refusal by the client's policy (client)"},
        subcommands = {DemoCommand.class, ServerCommand.class, ClientCommand.class, ParamsCommand.class, CircuitCommand.class, KeygenCommand.class, BenchCommand.class, JmhCommand.class})
public final class FusionCli implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        // One short line per log record (e.g. which TLS provider runs), on standard error.
        System.setProperty("java.util.logging.SimpleFormatter.format", "fusion: %4$s: %5$s%n");
        System.exit(commandLine().execute(args));
    }

    /** The configured command line, shared by {@link #main} and the tests. */
    public static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new FusionCli());
        cli.setExecutionExceptionHandler((e, cmd, parsed) -> {
            // Errors the SDK raises on purpose carry a message meant for the user; print it, not a stack trace.
            cmd.getErr().println("fusion: " + e.getMessage());
            return exitCode(e);
        });
        return cli;
    }

    /**
     * The exit code by cause: a refusal by the client's policy is 3 (like a REJECT); the SDK's own errors (a channel,
     * a model file) and anything else that went wrong are failures, 1; only a bad argument value is a usage error, 2.
     */
    static int exitCode(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof org.fusionmpc.fusion.PolicyRefusal) {
                return 3;
            }
            if (t instanceof org.fusionmpc.api.SdkException) {
                return 1;
            }
        }
        return e instanceof IllegalArgumentException ? 2 : 1;
    }

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getOut());
        return 0;
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = FusionCli.class.getPackage().getImplementationVersion();
            return new String[] {"fusion " + (v == null ? "(development build)" : v),
                "Java " + Runtime.version()};
        }
    }
}
