package org.fusionmpc.samples.bench;

import org.fusionmpc.api.channel.Channel;
import org.fusionmpc.api.channel.ShapedLink;
import org.fusionmpc.api.testing.TwoParties;

/**
 * The two ends an end-to-end bench runs over: in memory or loopback TCP, optionally shaped as a WAN link
 * ({@code --wan <rate>:<rtt>}). Shaping is the in-process {@link ShapedLink}: both parties run in this
 * process, so {@code tc netem} on a veth pair between network namespaces (which needs CAP_NET_ADMIN and the
 * parties in separate processes) is not what runs here. Each output line says which shaping ran and, from a
 * probe run once per process ({@code unshare -n} and a netem qdisc on its loopback), why kernel shaping did
 * not: no privilege, no netem in this kernel, or both parties in one process.
 */
final class BenchLink {

    private BenchLink() {
    }

    static Channel[] pair(boolean tcp, ShapedLink.Spec wan) {
        Channel[] p = (tcp ? TwoParties.TCP : TwoParties.IN_MEMORY).pair();
        return wan == null ? p : ShapedLink.wrap(p[0], p[1], wan);
    }

    static String shaping(ShapedLink.Spec wan) {
        return wan == null ? "none" : "in-process " + wan + " (tc netem: " + NetemProbe.RESULT + ")";
    }

    /** Whether this process could shape with tc netem in a network namespace of its own, and if not, why. */
    static final class NetemProbe {
        static final String RESULT = probe();

        private NetemProbe() {
        }

        private static String probe() {
            ProcessBuilder pb = new ProcessBuilder("unshare", "-n", "tc", "qdisc", "add", "dev", "lo", "root", "netem", "delay", "1ms")
                    .redirectErrorStream(true);
            try {
                Process p = pb.start();
                String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).strip();
                if (!p.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                    return "the probe timed out";
                }
                if (p.exitValue() == 0) {
                    return "available, not used: both parties run in this process";
                }
                if (out.contains("qdisc kind is unknown")) {
                    return "this kernel has no netem qdisc (sch_netem)";
                }
                if (out.contains("Operation not permitted") || out.contains("unshare failed")) {
                    return "no privilege to create a network namespace (CAP_SYS_ADMIN, CAP_NET_ADMIN)";
                }
                return "unavailable: " + out.lines().findFirst().orElse("exit " + p.exitValue());
            } catch (java.io.IOException e) {
                return "unshare or tc is not installed";
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return "the probe was interrupted";
            }
        }
    }
}
