/** Additive shares over Z_2^ℓ, fixed point, truncation, and linear algebra on shares. */
module org.fusionmpc.ring {
    requires transitive org.fusionmpc.ot;

    exports org.fusionmpc.ring;
}
