/** Homomorphic linear layers: RLWE arithmetic, Cheetah's encodings, the RLWE linear engine. */
module org.fusionmpc.he {
    requires transitive org.fusionmpc.ring;

    exports org.fusionmpc.he;
}
