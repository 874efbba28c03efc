package org.fusionmpc.samples.bench;

import org.fusionmpc.api.channel.Channel;
import org.fusionmpc.api.channel.ShapedLink;
import org.fusionmpc.api.testing.TwoParties;

/**
 * The two ends an end-to-end bench runs over: in memory or loopback TCP, optionally shaped as a WAN link
 * ({@code --wan <rate>:<rtt>}). Shaping is the in-process {@link ShapedLink}: both parties run in this
 * process, so {@code tc netem} on a veth pair between network namespaces (which needs CAP_NET_ADMIN and the
 * parties in separate processes) is not what runs here; each output line says which shaping ran.
 */
final class BenchLink {

    private BenchLink() {
    }

    static Channel[] pair(boolean tcp, ShapedLink.Spec wan) {
        Channel[] p = (tcp ? TwoParties.TCP : TwoParties.IN_MEMORY).pair();
        return wan == null ? p : ShapedLink.wrap(p[0], p[1], wan);
    }

    static String shaping(ShapedLink.Spec wan) {
        return wan == null ? "none" : "in-process " + wan;
    }
}
