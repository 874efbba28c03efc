/**
 * Framed, accounted, bounded two-party channels: in-memory, TCP and TLS 1.3.
 * Failures are {@link org.fusionmpc.api.channel.ChannelException}s with a kind and a plain-words message.
 */
package org.fusionmpc.api.channel;
