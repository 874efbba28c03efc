package org.fusionmpc.semihonest;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.Arrays;
import org.fusionmpc.api.channel.Channel;
import org.fusionmpc.api.channel.ChannelConfig;
import org.fusionmpc.api.channel.InMemoryChannel;

/**
 * Coverage-guided fuzzing (Jazzer) of what a server's bytes or a model file reach on the client and importer side:
 * every input must end in a {@link ModelException} or be read within bounds; anything else (another exception, a
 * hang, a large allocation) is a finding. Without {@code JAZZER_FUZZ} these run the committed inputs under
 * {@code src/test/resources/.../ParserFuzzTestInputs} as regression tests.
 */
class ParserFuzzTest {

    @FuzzTest(maxDuration = "10s")
    void architecture(byte[] data) {
        try {
            Network n = Network.parse(data);
            if (n.largestActivation() > 1 << 24) {
                throw new AssertionError("a layer beyond the bound was read: " + n);
            }
        } catch (ModelException expected) {
            // refused clearly
        }
    }

    @FuzzTest(maxDuration = "10s")
    void onnxModel(byte[] data) {
        try {
            OnnxImporter.load(data, "fuzz");
        } catch (ModelException expected) {
            // refused clearly
        }
    }

    /**
     * The six longs of a session request, as a stranger sends them, against any server limits: the server's check
     * never throws, and it accepts only a canonical request whose fields are in range. (Found by this target's
     * oracle before the check was factored out: a k of 2^32 + 1 was accepted as k = 1.)
     */
    @FuzzTest(maxDuration = "10s")
    void sessionRequest(FuzzedDataProvider data) {
        int maxBatch = data.consumeInt(1, 1 << 16);
        boolean allowLogits = data.consumeBoolean();
        long[] sent = new long[SessionRequest.WORDS];
        for (int i = 0; i < sent.length; i++) {
            sent[i] = data.consumeLong();
        }
        long[] words = new long[SessionRequest.WORDS];
        InMemoryChannel[] pair = InMemoryChannel.pair(ChannelConfig.DEFAULT);
        try (Channel client = pair[0]; Channel server = pair[1]) {
            client.send(sent);
            client.flush();
            server.receive(words, 0, words.length);
        }
        SessionRequest.Checked c = SessionRequest.check(words, maxBatch, allowLogits);
        if ((c.verdict() == SecureRunner.ACCEPT) != (c.request() != null)) {
            throw new AssertionError("verdict " + c.verdict() + " with request " + c.request());
        }
        if (c.request() != null) {
            SessionRequest r = c.request();
            if (!Arrays.equals(r.words(), sent)) {
                throw new AssertionError("accepted a non-canonical request " + Arrays.toString(sent) + " as " + r);
            }
            if (r.batch() < 1 || r.batch() > maxBatch || (r.logits() && !allowLogits)
                    || r.ringBits() < r.linear().minRingBits() || r.ringBits() > r.linear().maxRingBits()) {
                throw new AssertionError("accepted out of range: " + r + " (max batch " + maxBatch + ", logits " + allowLogits + ")");
            }
        }
    }
}
