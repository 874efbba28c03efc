/**
 * The SDK's runtime: channels (in memory, TCP, TLS), sessions and their handshake, randomness, and the plugin SPI with
 * its registry. Conscrypt is optional: present, it provides TLS; absent, the JDK's TLS is used.
 */
module org.fusionmpc.api {
    requires transitive org.agrona.core;
    requires org.jctools.core;
    requires org.bouncycastle.provider;
    requires org.bouncycastle.pkix;
    requires static org.conscrypt;

    exports org.fusionmpc.api;
    exports org.fusionmpc.api.channel;
    // Lanes and the like: the SDK's own parallel loops, not an API.
    exports org.fusionmpc.api.concurrent to org.fusionmpc.ot, org.fusionmpc.gc, org.fusionmpc.ring, org.fusionmpc.he, org.fusionmpc.semihonest;
    exports org.fusionmpc.api.random;
    exports org.fusionmpc.api.session;
    exports org.fusionmpc.api.spi;
    exports org.fusionmpc.api.testing;
    exports org.fusionmpc.api.tls;

    uses org.fusionmpc.api.spi.ProtocolProvider;
}
