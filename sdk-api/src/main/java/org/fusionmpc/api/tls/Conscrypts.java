package org.fusionmpc.api.tls;

import java.security.Provider;

/**
 * Finds Conscrypt without making it a hard dependency: the class may be absent from the class path, or its
 * native library may not load on this platform; either way TLS falls back to the JDK's provider.
 */
final class Conscrypts {

    private static final Provider PROVIDER;
    private static final String REASON;
    private static final String LABEL;

    static {
        Provider provider = null;
        String reason;
        String label = null;
        try {
            if (org.conscrypt.Conscrypt.isAvailable()) {
                provider = org.conscrypt.Conscrypt.newProvider();
                org.conscrypt.Conscrypt.Version v = org.conscrypt.Conscrypt.version();
                label = "Conscrypt " + v.major() + "." + v.minor() + "." + v.patch();
                reason = "available";
            } else {
                reason = "Conscrypt's native library did not load on this platform";
            }
        } catch (LinkageError e) {
            reason = "Conscrypt is not on the class path (" + e + ")";
        }
        PROVIDER = provider;
        REASON = reason;
        LABEL = label;
    }

    private Conscrypts() {
    }

    static Provider provider() {
        return PROVIDER;
    }

    /** "Conscrypt 2.9.0": the provider object itself only reports a version of 1.0. */
    static String label() {
        return LABEL;
    }

    static String unavailableReason() {
        return REASON;
    }

    /** Whether Conscrypt runs here; for diagnostics and benchmarks. */
    static boolean available() {
        return PROVIDER != null;
    }
}
