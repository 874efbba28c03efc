/**
 * TLS identities (self-signed certificates made with Bouncy Castle), fingerprint pinning and provider choice
 * (Conscrypt when it loads, the JDK's otherwise).
 */
package org.fusionmpc.api.tls;
