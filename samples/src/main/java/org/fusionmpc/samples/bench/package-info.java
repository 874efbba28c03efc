/**
 * End-to-end benchmarks behind {@code ./fusion bench}, printing JSON lines with same-run baselines
 * (DESIGN section 8).
 */
package org.fusionmpc.samples.bench;
