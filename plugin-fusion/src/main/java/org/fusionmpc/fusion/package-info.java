/**
 * The {@code fusion} plugin: verified inference against a malicious server by mix-and-check (Dong et al.,
 * NDSS 2023). {@link org.fusionmpc.fusion.FusionClient} hides its queries among checkable public samples,
 * {@link org.fusionmpc.fusion.FusionOptimizer} picks the replica and sample counts from exact probabilities,
 * {@link org.fusionmpc.fusion.FusionReport} is the verdict, and {@link org.fusionmpc.fusion.CheatingStrategy}
 * is the catalogue of cheating servers it is tested against.
 */
package org.fusionmpc.fusion;
