/** The semi-honest inference plugin: ONNX import, the layer graph, two-party inference. */
module org.fusionmpc.semihonest {
    requires transitive org.fusionmpc.gc;
    requires transitive org.fusionmpc.ring;
    requires transitive org.fusionmpc.he;
    requires org.tribuo.util.onnx;
    requires com.google.protobuf;

    exports org.fusionmpc.inference;
    exports org.fusionmpc.semihonest;

    provides org.fusionmpc.api.spi.ProtocolProvider with org.fusionmpc.semihonest.SemiHonestProvider;
}
