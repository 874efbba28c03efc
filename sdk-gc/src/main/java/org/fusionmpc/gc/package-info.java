/**
 * Garbled circuits: Boolean circuits ({@link org.fusionmpc.gc.Circuit}, built with
 * {@link org.fusionmpc.gc.CircuitBuilder}, a library in {@link org.fusionmpc.gc.Circuits}, Bristol Fashion
 * files through {@link org.fusionmpc.gc.BristolFashion}), half-gates garbling and evaluation
 * ({@link org.fusionmpc.gc.HalfGatesGarbler}, {@link org.fusionmpc.gc.HalfGatesEvaluator}) and the two-party
 * comparisons on additive shares built from them ({@link org.fusionmpc.gc.GcComparisons}, behind the
 * {@link org.fusionmpc.gc.ComparisonEngine} interface).
 */
package org.fusionmpc.gc;
