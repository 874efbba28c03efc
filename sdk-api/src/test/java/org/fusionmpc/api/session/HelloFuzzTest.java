package org.fusionmpc.api.session;

import com.code_intelligence.jazzer.junit.FuzzTest;
import org.fusionmpc.api.channel.Channel;
import org.fusionmpc.api.channel.ChannelConfig;
import org.fusionmpc.api.channel.ChannelException;
import org.fusionmpc.api.channel.InMemoryChannel;

/**
 * Coverage-guided fuzzing (Jazzer) of the first message a stranger sends a server: any bytes as the peer's hello must
 * end in a {@link ChannelException} or a checked hello, never another exception. Without {@code JAZZER_FUZZ} this runs
 * the committed inputs as regression tests.
 */
class HelloFuzzTest {

    @FuzzTest(maxDuration = "10s")
    void hello(byte[] data) {
        InMemoryChannel[] pair = InMemoryChannel.pair(ChannelConfig.DEFAULT);
        try (Channel stranger = pair[0]; Channel server = pair[1]) {
            stranger.send(data);
            stranger.flush();
            byte[] hello = Handshake.readHello(server);
            // A hello that checked out replays to the session's own exchange, which may still find the protocol wrong.
            Handshake.exchange(Handshake.replaying(server, hello), new ProtocolId("echo-sum", 1));
        } catch (ChannelException expected) {
            // refused clearly
        }
    }
}
