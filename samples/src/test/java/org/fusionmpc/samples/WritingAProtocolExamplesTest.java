package org.fusionmpc.samples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.fusionmpc.api.random.Blocks;
import org.fusionmpc.api.testing.TwoParties;
import org.fusionmpc.gc.GcComparisons;
import org.fusionmpc.he.HeLinearEngine;
import org.fusionmpc.ot.SoftSpokenOtReceiver;
import org.fusionmpc.ot.SoftSpokenOtSender;
import org.fusionmpc.ring.FixedPoint;
import org.fusionmpc.ring.LinearOperator;
import org.fusionmpc.ring.LinearShape;
import org.fusionmpc.ring.Reveal;
import org.junit.jupiter.api.Test;

/**
 * The examples of the site's "Writing a protocol" page, compiled and run here against plaintext; the page's code
 * blocks marked {@code <!-- example: NAME -->} must equal the regions marked {@code // [example: NAME]} below, so the
 * page cannot drift from code that works.
 */
class WritingAProtocolExamplesTest {

    static final Path PAGE = Path.of("..", "site", "src", "pages", "writing-a-protocol.md");
    static final Path SELF = Path.of("src", "test", "java", "org", "fusionmpc", "samples", "WritingAProtocolExamplesTest.java");

    @Test
    void obliviousTransfer() throws Exception {
        long[] choices = new SplittableRandom(1).longs((1000 + 63) / 64).toArray(); // the receiver's choice bits
        // [example: ot]
        int n = 1000;
        Object[] got = TwoParties.TCP.run(ch -> {
            SoftSpokenOtSender sender = SoftSpokenOtSender.setup(ch, new SecureRandom());  // base OTs, then the extension
            long[] m0 = Blocks.allocate(n);
            long[] m1 = Blocks.allocate(n);
            sender.random(n, m0, m1);                   // n pairs of random 128-bit messages
            return new long[][] {m0, m1};
        }, ch -> {
            SoftSpokenOtReceiver receiver = SoftSpokenOtReceiver.setup(ch, new SecureRandom());
            long[] mc = Blocks.allocate(n);
            receiver.random(n, choices, mc);            // mc holds m1[i] where choice bit i is 1, else m0[i]
            return mc;
        });
        // [end]
        long[][] sent = (long[][]) got[0];
        long[] mc = (long[]) got[1];
        for (int i = 0; i < n; i++) {
            long[] m = (choices[i / 64] >>> (i % 64) & 1) != 0 ? sent[1] : sent[0];
            assertEquals(m[2 * i], mc[2 * i], "OT " + i);
            assertEquals(m[2 * i + 1], mc[2 * i + 1], "OT " + i);
        }
    }

    @Test
    void comparisonOnShares() throws Exception {
        long mask = (1L << 32) - 1;
        long[] x = {5, -3, 0, 1000, -7};
        long[] y = {9, -4, 0, 999, 7};
        SplittableRandom r = new SplittableRandom(2);
        long[] x0 = new long[x.length];
        long[] x1 = new long[x.length];
        long[] y0 = new long[x.length];
        long[] y1 = new long[x.length];
        for (int i = 0; i < x.length; i++) {
            x0[i] = r.nextLong() & mask;
            x1[i] = (x[i] - x0[i]) & mask;
            y0[i] = r.nextLong() & mask;
            y1[i] = (y[i] - y0[i]) & mask;
        }
        // [example: comparison]
        // x0, y0: the server's additive shares of x and y over Z_2^32; x1, y1: the client's.
        Object[] opened = TwoParties.TCP.run(
                ch -> Reveal.bothBits(ch, GcComparisons.server(ch).lessThan(x0, y0, 32)),  // XOR shares of [x < y], opened
                ch -> Reveal.bothBits(ch, GcComparisons.client(ch).lessThan(x1, y1, 32)));
        // opened[0] and opened[1] both hold [x < y] per element; equal, greaterThan, drelu and
        // bitsToArithmetic (B2A) work alike, and OtComparisons is the same interface by OT.
        // [end]
        assertArrayEquals(new long[] {1, 0, 0, 0, 1}, (long[]) opened[0]);
        assertArrayEquals(new long[] {1, 0, 0, 0, 1}, (long[]) opened[1]);
    }

    @Test
    void linearLayerOnShares() throws Exception {
        double[] weights = {0.5, -1, 2, 0.25, 1, 1, 1, 1, -0.5, 0, 0.75, -2};
        double[] input = {1.5, -2, 0.25, 3};
        FixedPoint f = FixedPoint.defaults();
        long mask = (1L << 37) - 1;
        long[] enc = f.encode(input);
        SplittableRandom r = new SplittableRandom(3);
        long[] x0 = new long[enc.length];
        long[] x1 = new long[enc.length];
        for (int i = 0; i < enc.length; i++) {
            x0[i] = r.nextLong() & mask;
            x1[i] = (enc[i] - x0[i]) & mask;
        }
        // [example: linear]
        FixedPoint fp = FixedPoint.defaults();                                   // f fractional bits
        LinearOperator w = LinearOperator.dense(fp.encode(weights), 3, 4);       // the server's 3x4 matrix
        Object[] y = TwoParties.TCP.run(
                ch -> HeLinearEngine.server(ch, 37).server(w, x0, 1),            // x0, x1: shares of x over Z_2^37
                ch -> HeLinearEngine.client(ch, 37).client(LinearShape.dense(3, 4), x1, 1));
        // y[0] + y[1] = W·x mod 2^37, at scale 2^(2f): truncate by f (a comparison engine's truncate) before the next layer.
        // [end]
        long[] s = (long[]) y[0];
        long[] c = (long[]) y[1];
        for (int o = 0; o < 3; o++) {
            long v = (s[o] + c[o]) & mask;
            v = v >= 1L << 36 ? v - (1L << 37) : v;
            double want = 0;
            for (int k = 0; k < 4; k++) {
                want += weights[o * 4 + k] * input[k];
            }
            assertEquals(want, v / Math.scalb(1.0, 2 * f.fractionBits()), 1e-3, "row " + o);
        }
    }

    /** Every example block of the page equals its region here, and every region appears on the page. */
    @Test
    void thePageShowsExactlyTheCodeThatRuns() throws IOException {
        Map<String, String> page = blocks(Files.readString(PAGE), Pattern.compile("<!-- example: (\\w+) -->\\s*```java\\n(.*?)```", Pattern.DOTALL));
        Map<String, String> code = blocks(Files.readString(SELF), Pattern.compile("// \\[example: (\\w+)]\\n(.*?)\\n\\s*// \\[end]", Pattern.DOTALL));
        assertEquals(code.keySet(), page.keySet(), "examples on the page and here");
        for (String name : code.keySet()) {
            assertEquals(code.get(name), page.get(name), "example '" + name + "' on the page differs from the code that runs");
        }
        assertTrue(code.size() >= 3);
    }

    private static Map<String, String> blocks(String text, Pattern p) {
        Map<String, String> out = new LinkedHashMap<>();
        Matcher m = p.matcher(text);
        while (m.find()) {
            out.put(m.group(1), dedent(m.group(2)));
        }
        return out;
    }

    /** Lines without their common indentation and trailing blanks. */
    private static String dedent(String block) {
        List<String> lines = new ArrayList<>(block.stripTrailing().lines().toList());
        int indent = lines.stream().filter(l -> !l.isBlank()).mapToInt(l -> l.length() - l.stripLeading().length()).min().orElse(0);
        StringBuilder b = new StringBuilder();
        for (String l : lines) {
            b.append(l.isBlank() ? "" : l.substring(indent).stripTrailing()).append('\n');
        }
        return b.toString();
    }
}
