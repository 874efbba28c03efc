/**
 * The SDK's stable runtime: channels, randomness, sessions and the plugin registry.
 * Every other module depends on this one and on nothing above it.
 */
package org.fusionmpc.api;
