/** An application of the SDK's: requires only the Fusion plugin's module, which brings the SDK's API with it. */
module org.example.consumer {
    requires org.fusionmpc.fusion;

    exports org.example.consumer;
}
