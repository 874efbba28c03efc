/**
 * Sessions: the hello handshake that checks protocol name and version, the parties' roles, and the
 * per-session private randomness.
 */
package org.fusionmpc.api.session;
