/**
 * Lattice-based homomorphic encryption for the linear layers of secure inference (Cheetah-class; issue 11):
 * 64-bit modular arithmetic ({@link org.fusionmpc.he.Modulus}, Montgomery form), the negacyclic number-theoretic
 * transform over Z_p[X]/(X^N + 1) ({@link org.fusionmpc.he.Ntt}), polynomials in a residue number system of
 * NTT-friendly primes ({@link org.fusionmpc.he.RnsPoly}), and secret-key RLWE encryption with plaintext
 * modulus 2^ℓ ({@link org.fusionmpc.he.SecretKeyRlwe}). A module of its own (not a package of sdk-ring) so the
 * ring module stays free of lattice code and this one can be benchmarked and replaced on its own.
 */
package org.fusionmpc.he;
