/**
 * Randomness and hashing on 128-bit blocks: an AES-CTR PRG seeded from SecureRandom and fixed-key-AES
 * correlation-robust hashes, all batched over {@code long[]}.
 */
package org.fusionmpc.api.random;
