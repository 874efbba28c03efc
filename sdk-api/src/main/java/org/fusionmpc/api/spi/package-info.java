/**
 * The plugin SPI: providers registered with ServiceLoader and selected by name,
 * e.g. {@code Protocols.byName("fusion")}.
 */
package org.fusionmpc.api.spi;
