/** Garbled circuits (half-gates, free XOR), circuit builders, and the comparison engines on shares. */
module org.fusionmpc.gc {
    requires transitive org.fusionmpc.ot;

    exports org.fusionmpc.gc;
}
