package org.fusionmpc.semihonest;

/** Time and client-side traffic of one phase of a secure inference (summed over its layers). */
public record PhaseStats(String phase, long nanos, long bytesSent, long bytesReceived, long rounds) {

    PhaseStats plus(long dn, long sent, long received, long r) {
        return new PhaseStats(phase, nanos + dn, bytesSent + sent, bytesReceived + received, rounds + r);
    }
}
