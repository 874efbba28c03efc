/**
 * The {@code fusion} command line (picocli): key generation and benchmarks now; the demo, client and
 * server arrive with the inference plugins.
 */
package org.fusionmpc.samples.cli;
