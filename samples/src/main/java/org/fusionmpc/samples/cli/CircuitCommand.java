package org.fusionmpc.samples.cli;

import java.io.Reader;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.fusionmpc.api.channel.Channel;
import org.fusionmpc.api.channel.ChannelConfig;
import org.fusionmpc.api.channel.TlsChannel;
import org.fusionmpc.api.channel.TlsListener;
import org.fusionmpc.api.tls.Fingerprint;
import org.fusionmpc.api.tls.TlsConfig;
import org.fusionmpc.api.tls.TlsIdentity;
import org.fusionmpc.gc.BristolFashion;
import org.fusionmpc.samples.circuit.CircuitTwoPc;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Secure two-party evaluation of a Bristol Fashion circuit file: both parties here, or one per process. */
@Command(name = "circuit", mixinStandardHelpOptions = true,
        description = {"Evaluate a Bristol Fashion circuit between two parties with garbled circuits (the sample protocol built on the SDK).",
            "Without --listen/--connect both parties run here over loopback TLS and --inputs lists every input value;",
            "with --listen (garbler) or --connect (evaluator) this process is one party and --inputs lists its own values.",
            "Example: ./fusion circuit adder64.txt --inputs 5,7"})
final class CircuitCommand implements Callable<Integer> {

    @Parameters(paramLabel = "FILE", description = "The circuit, in Bristol Fashion.")
    Path file;

    @Option(names = "--garbler-values", defaultValue = "1", description = "How many leading input values are the garbler's (default: ${DEFAULT-VALUE}).")
    int garblerValues;

    @Option(names = "--inputs", split = ",", description = "Input values, decimal or 0x-hex, comma-separated, in file order.")
    List<String> inputs = new ArrayList<>();

    @Option(names = "--listen", paramLabel = "PORT", description = "Be the garbler, waiting on this port (0 picks one).")
    Integer listen;

    @Option(names = "--connect", paramLabel = "HOST:PORT", description = "Be the evaluator, connecting to a garbler.")
    String connect;

    @Option(names = "--pin", description = "With --connect: the garbler's certificate fingerprint.")
    String pin;

    @Option(names = "--reveal-to-both", description = "The evaluator sends the outputs back to the garbler.")
    boolean both;

    @Override
    public Integer call() throws Exception {
        BristolFashion.Parsed parsed;
        try (Reader r = Files.newBufferedReader(file)) {
            parsed = BristolFashion.parse(r, garblerValues);
        }
        List<BigInteger> values = new ArrayList<>();
        for (String s : inputs) {
            String t = s.strip().toLowerCase(java.util.Locale.ROOT);
            values.add(t.startsWith("0x") ? new BigInteger(t.substring(2), 16) : new BigInteger(t));
        }
        int g = garblerValues;
        int all = parsed.inputWidths().length;
        System.out.println("circuit: " + parsed.circuit() + "; garbler owns values 0.." + (g - 1) + ", evaluator " + g + ".." + (all - 1));
        if (listen != null) {
            TlsIdentity id = TlsIdentity.selfSigned("bristol-garbler");
            try (TlsListener l = TlsListener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), listen), ChannelConfig.DEFAULT,
                    TlsConfig.builder().identity(id).build())) {
                System.out.println("garbler listening on port " + l.port() + ", fingerprint " + id.fingerprint().hex());
                System.out.flush();
                try (Channel ch = l.accept()) {
                    print(CircuitTwoPc.garbler(ch, parsed, g, values, both));
                }
            }
            return 0;
        }
        if (connect != null) {
            if (pin == null) {
                throw new IllegalArgumentException("--connect needs --pin with the garbler's fingerprint");
            }
            int colon = connect.lastIndexOf(':');
            try (Channel ch = TlsChannel.connect(new InetSocketAddress(connect.substring(0, colon), Integer.parseInt(connect.substring(colon + 1))),
                    ChannelConfig.DEFAULT, TlsConfig.builder().pinPeer(new Fingerprint(pin)).build())) {
                print(CircuitTwoPc.evaluator(ch, parsed, g, values, both));
            }
            return 0;
        }
        if (values.size() != all) {
            throw new IllegalArgumentException("the circuit has " + all + " input values; --inputs gave " + values.size());
        }
        TlsIdentity id = TlsIdentity.selfSigned("bristol-garbler");
        try (TlsListener l = TlsListener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), ChannelConfig.DEFAULT,
                TlsConfig.builder().identity(id).build())) {
            CompletableFuture<List<BigInteger>> garbler = CompletableFuture.supplyAsync(() -> {
                try (Channel ch = l.accept()) {
                    return CircuitTwoPc.garbler(ch, parsed, g, values.subList(0, g), both);
                }
            });
            try (Channel ch = TlsChannel.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), l.port()), ChannelConfig.DEFAULT,
                    TlsConfig.builder().pinPeer(id.fingerprint()).build())) {
                print(CircuitTwoPc.evaluator(ch, parsed, g, values.subList(g, all), both));
            }
            garbler.get(60, TimeUnit.SECONDS);
        }
        return 0;
    }

    private static void print(List<BigInteger> out) {
        if (out == null) {
            System.out.println("outputs: (only the evaluator learns them)");
            return;
        }
        for (int i = 0; i < out.size(); i++) {
            System.out.println("output " + i + ": " + out.get(i) + " (0x" + out.get(i).toString(16) + ")");
        }
    }
}
