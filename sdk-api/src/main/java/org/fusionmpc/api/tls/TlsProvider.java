package org.fusionmpc.api.tls;

/** Which JSSE provider runs TLS. */
public enum TlsProvider {
    /** Conscrypt (BoringSSL) when its native library loads on this platform, the JDK's provider otherwise. */
    AUTO,
    /** Conscrypt or a clear error: for benchmarks and tests that must measure it. */
    CONSCRYPT,
    /** The JDK's own SunJSSE provider. */
    JDK
}
