package org.fusionmpc.samples.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.fusionmpc.api.channel.Channel;
import org.fusionmpc.api.channel.FlightDelay;
import org.fusionmpc.api.channel.ShapedLink;

/**
 * A WAN link shaped by the kernel: a veth pair between this process's network namespace and a fresh one in
 * which the peer process runs ({@code ip netns exec}). Each end's egress gets {@code tc netem rate R delay
 * rtt/2} where the kernel has {@code sch_netem}; where it has only {@code tbf} (this machine kind's kernel),
 * the kernel paces the rate and each process holds its flushes rtt/2 ({@link FlightDelay}), and
 * {@link #describe()} says so.
 *
 * <p>Privilege: creating namespaces, veth pairs and qdiscs needs CAP_SYS_ADMIN and CAP_NET_ADMIN in the initial
 * user namespace (root on a VM or a privileged container) and iproute2's {@code ip} and {@code tc}. Without
 * them {@link #UNAVAILABLE} names what is missing and the benches shape in-process instead.
 */
final class NetnsLink implements AutoCloseable {

    private static final AtomicInteger COUNTER = new AtomicInteger();

    /** The namespaces this class names: fusion, the creator's pid mod 10^5, x, a counter. */
    private static final java.util.regex.Pattern OURS = java.util.regex.Pattern.compile("fusion(\\d+)x\\d+");

    /** Whether the kernel has netem (checked once, only when namespaces work). */
    private static Boolean netem;

    /** Null when this process can build a kernel-shaped link, else why not, in words. Probed once, after the fields above. */
    static final String UNAVAILABLE = probe();

    private final String ns;
    private final String hostAddress;
    private final String peerAddress;
    private final ShapedLink.Spec spec;
    private final boolean kernelDelay;
    private boolean open = true;
    private final Thread cleanup;

    private NetnsLink(String ns, String hostAddress, String peerAddress, ShapedLink.Spec spec, boolean kernelDelay) {
        this.ns = ns;
        this.hostAddress = hostAddress;
        this.peerAddress = peerAddress;
        this.spec = spec;
        this.kernelDelay = kernelDelay;
        this.cleanup = new Thread(this::deleteNamespace, "netns-cleanup");
        Runtime.getRuntime().addShutdownHook(cleanup);
    }

    /** Builds the namespace, the veth pair and the qdiscs for {@code spec}; throws with the failing command's words. */
    static NetnsLink open(ShapedLink.Spec spec) throws IOException {
        removeStale();
        long pid = ProcessHandle.current().pid();
        int n = COUNTER.incrementAndGet();
        String id = (pid % 100000) + "x" + (n % 1000);
        String ns = "fusion" + id;
        String host = "fzh" + id;
        String peer = "fzp" + id;
        // A /30 of 10.231/16 per link: the host end .1, the peer end .2 of its block.
        int block = (int) ((pid * 64 + n) % 16384);
        String net = "10.231." + (block >>> 6) + ".";
        String hostAddress = net + ((block & 63) * 4 + 1);
        String peerAddress = net + ((block & 63) * 4 + 2);
        run("ip", "netns", "add", ns);
        try {
            run("ip", "link", "add", host, "type", "veth", "peer", "name", peer);
            run("ip", "link", "set", peer, "netns", ns);
            run("ip", "addr", "add", hostAddress + "/30", "dev", host);
            run("ip", "link", "set", host, "up");
            run("ip", "netns", "exec", ns, "ip", "addr", "add", peerAddress + "/30", "dev", peer);
            run("ip", "netns", "exec", ns, "ip", "link", "set", peer, "up");
            run("ip", "netns", "exec", ns, "ip", "link", "set", "lo", "up");
            boolean delay = hasNetem(ns);
            List<String> qdisc = delay ? netemArgs(spec) : tbfArgs(spec);
            run(concat(List.of("tc", "qdisc", "add", "dev", host, "root"), qdisc));
            run(concat(List.of("ip", "netns", "exec", ns, "tc", "qdisc", "add", "dev", peer, "root"), qdisc));
            return new NetnsLink(ns, hostAddress, peerAddress, spec, delay);
        } catch (IOException | RuntimeException e) {
            quietly("ip", "netns", "del", ns);
            throw e;
        }
    }

    /** Deletes the namespaces of bench processes that are gone (killed before their shutdown hook ran). */
    private static void removeStale() throws IOException {
        StringBuilder out = new StringBuilder();
        if (runStatus(List.of("ip", "netns", "list"), out) != 0) {
            return;
        }
        long me = ProcessHandle.current().pid() % 100000;
        for (String line : out.toString().split("\n")) {
            String name = line.strip().split("\\s+")[0];
            java.util.regex.Matcher m = OURS.matcher(name);
            if (m.matches() && Long.parseLong(m.group(1)) != me && ProcessHandle.allProcesses()
                    .noneMatch(p -> p.pid() % 100000 == Long.parseLong(m.group(1)) && p.info().command().orElse("").contains("java"))) {
                quietly("ip", "netns", "del", name);
            }
        }
    }

    private static synchronized boolean hasNetem(String ns) throws IOException {
        if (netem == null) {
            netem = runStatus(List.of("ip", "netns", "exec", ns, "tc", "qdisc", "add", "dev", "lo", "root", "netem", "delay", "1ms")) == 0;
            quietly("ip", "netns", "exec", ns, "tc", "qdisc", "del", "dev", "lo", "root");
        }
        return netem;
    }

    static List<String> netemArgs(ShapedLink.Spec spec) {
        return List.of("netem", "rate", bits(spec), "delay", (spec.rttNanos() / 2000) + "us", "limit", "100000");
    }

    static List<String> tbfArgs(ShapedLink.Spec spec) {
        // The bucket holds 10 ms of traffic, at least a GSO-sized packet; a queue of 100 ms at the rate before drops.
        long burst = Math.max(64 << 10, (long) (spec.bytesPerSecond() / 100));
        return List.of("tbf", "rate", bits(spec), "burst", Long.toString(burst), "latency", "100ms");
    }

    private static String bits(ShapedLink.Spec spec) {
        return Math.round(spec.bytesPerSecond() * 8) + "bit";
    }

    /** The address this process reaches the peer at. */
    String peerAddress() {
        return peerAddress;
    }

    String hostAddress() {
        return hostAddress;
    }

    /** {@code command} run in the peer's namespace. */
    List<String> inPeerNamespace(List<String> command) {
        return concat(List.of("ip", "netns", "exec", ns), command);
    }

    /** One way of the round trip that each process must hold its flushes, in ns: 0 when netem delays in the kernel. */
    long flushDelayNanos() {
        return kernelDelay ? 0 : spec.rttNanos() / 2;
    }

    /** This process's end of a connection over the link, delayed here where the kernel does not delay. */
    Channel wrapLocal(Channel c) {
        return kernelDelay ? c : FlightDelay.wrap(c, flushDelayNanos());
    }

    /** What shaped the link, for the bench lines' {@code shaping} field. */
    String describe() {
        String link = "kernel: veth to netns " + ns + " (server in its own process), ";
        return kernelDelay
                ? link + "tc netem " + spec + " each way"
                : link + String.format(Locale.ROOT, "tc tbf %.1f Mbit/s each way, each flight held %.1f ms at its first flush in each process (FlightDelay; "
                        + "tc netem: this kernel has no netem qdisc (sch_netem))", spec.bytesPerSecond() * 8 / 1e6, spec.rttNanos() / 2e6);
    }

    @Override
    public void close() {
        deleteNamespace();
        try {
            Runtime.getRuntime().removeShutdownHook(cleanup);
        } catch (IllegalStateException ignored) {
            // the JVM is shutting down: the hook runs anyway
        }
    }

    private synchronized void deleteNamespace() {
        if (open) {
            open = false;
            quietly("ip", "netns", "del", ns); // takes the veth pair and its qdiscs with it
        }
    }

    private static String probe() {
        if (!System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("linux")) {
            return "network namespaces are Linux's";
        }
        try {
            NetnsLink l = open(ShapedLink.Spec.parse("100mbit:2ms"));
            l.close();
            return null;
        } catch (IOException e) {
            String m = e.getMessage();
            if (m.contains("Operation not permitted") || m.contains("Permission denied")) {
                return "no privilege to create network namespaces and veth pairs (CAP_SYS_ADMIN and CAP_NET_ADMIN, e.g. root)";
            }
            if (m.contains("Cannot run program")) {
                return "iproute2 (ip, tc) is not installed";
            }
            return "kernel shaping failed: " + m;
        } catch (RuntimeException e) {
            return "kernel shaping failed: " + e.getMessage();
        }
    }

    private static void run(String... command) throws IOException {
        run(List.of(command));
    }

    private static void run(List<String> command) throws IOException {
        StringBuilder out = new StringBuilder();
        int status = runStatus(command, out);
        if (status != 0) {
            throw new IOException("'" + String.join(" ", command) + "' failed (exit " + status + "): " + out.toString().strip());
        }
    }

    private static int runStatus(List<String> command) throws IOException {
        return runStatus(command, new StringBuilder());
    }

    private static int runStatus(List<String> command, StringBuilder out) throws IOException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        out.append(new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
        try {
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException("'" + String.join(" ", command) + "' did not finish in 30 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while running " + command.get(0), e);
        }
        return p.exitValue();
    }

    private static void quietly(String... command) {
        try {
            runStatus(List.of(command));
        } catch (IOException ignored) {
            // best effort: cleaning up after a failure or at exit
        }
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    /** The java launcher and class path of this process, to start a peer process of the same build. */
    static List<String> javaCommand(List<String> jvmOptions, String mainClass) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(jvmOptions);
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(mainClass);
        return cmd;
    }
}
