package org.fusionmpc.ot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** 10^8 COTs of the default set, both parties in one JVM of 256 MB: the reserve never runs dry and memory stays bounded. */
class SilentOtSoakTest {

    @Test
    @Timeout(value = 300, unit = TimeUnit.SECONDS)
    void tenToTheEightCotsInA256MegabyteHeap() throws Exception {
        Process p = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m",
                "-cp", System.getProperty("java.class.path"), SilentOtSoak.class.getName(), "100000000"))
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(280, TimeUnit.SECONDS), "the soak finishes");
        System.out.print(out);
        assertEquals(0, p.exitValue(), out);
        assertTrue(out.contains("all valid"), out);
        // Ten main rounds after the bootstrap: the sender's bytes are the setup's and ten rounds' messages.
        long rounds = FerretParams.REGULAR_2024.bytesPerRound();
        long sent = Long.parseLong(out.replaceAll("(?s).*sender sent (\\d+) bytes.*", "$1"));
        assertTrue(sent >= 10 * rounds && sent < 10 * rounds + 600_000, sent + " bytes for ten rounds of " + rounds);
    }
}
