/**
 * The inference API: what an application programs against to run secure inference by protocol name, without naming
 * any plugin's classes. {@code Protocols.byName("fusion", Inference.class)} (or {@code "semi-honest"}) gives an
 * {@link org.fusionmpc.inference.Inference}; its parties take typed options and give an
 * {@link org.fusionmpc.inference.Answer}.
 */
package org.fusionmpc.inference;
