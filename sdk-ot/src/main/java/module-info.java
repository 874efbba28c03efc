/** Oblivious transfer: base OT, the SoftSpokenOT and silent (Ferret) extensions, 1-out-of-N OT. */
module org.fusionmpc.ot {
    requires transitive org.fusionmpc.api;
    requires org.bouncycastle.provider;

    exports org.fusionmpc.ot;
}
