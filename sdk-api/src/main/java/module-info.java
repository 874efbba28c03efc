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
    exports org.fusionmpc.api.concurrent;
    exports org.fusionmpc.api.random;
    exports org.fusionmpc.api.session;
    exports org.fusionmpc.api.spi;
    exports org.fusionmpc.api.testing;
    exports org.fusionmpc.api.tls;

    uses org.fusionmpc.api.spi.ProtocolProvider;
}
