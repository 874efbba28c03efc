/** The Fusion plugin: verified inference against a malicious server by mixing queries among checkable samples. */
module org.fusionmpc.fusion {
    requires transitive org.fusionmpc.semihonest;
    requires java.desktop;

    exports org.fusionmpc.fusion;

    provides org.fusionmpc.api.spi.ProtocolProvider with org.fusionmpc.fusion.FusionProvider;
}
