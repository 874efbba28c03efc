package org.fusionmpc.samples.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.fusionmpc.api.channel.ShapedLink;
import org.junit.jupiter.api.Test;

/** Every bench line names its shaping, and for --wan why the kernel's netem did not do it. */
class BenchLinkTest {

    @Test
    void theShapingFieldSaysWhatRanAndWhyNotNetem() {
        assertEquals("none", BenchLink.shaping(null));
        String s = BenchLink.shaping(ShapedLink.Spec.parse("100mbit:20ms"));
        assertTrue(s.startsWith("in-process 100.0 Mbit/s, rtt 20.0 ms (tc netem: "), s);
        assertTrue(s.contains("no netem qdisc") || s.contains("no privilege") || s.contains("not installed")
                || s.contains("available, not used") || s.contains("unavailable: "), s);
    }
}
