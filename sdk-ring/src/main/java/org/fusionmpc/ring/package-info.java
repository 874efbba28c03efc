/**
 * Arithmetic secret sharing over Z_2^64: shares and tensors ({@link org.fusionmpc.ring.ShareTensor}), fixed
 * point ({@link org.fusionmpc.ring.FixedPoint}), truncation ({@link org.fusionmpc.ring.Truncation}), and
 * secure linear layers where the server holds the weights ({@link org.fusionmpc.ring.LinearEngine}, with
 * the OT-based {@link org.fusionmpc.ring.OtLinearEngine}), plus products of two shared vectors from Beaver
 * triples ({@link org.fusionmpc.ring.BeaverMultiplier}).
 */
package org.fusionmpc.ring;
