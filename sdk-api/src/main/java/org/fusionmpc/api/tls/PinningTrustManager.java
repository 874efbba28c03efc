package org.fusionmpc.api.tls;

import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.Set;
import java.util.stream.Collectors;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * Accepts a peer whose leaf certificate has one of the pinned fingerprints and, when a trust store is given,
 * whose chain also validates against it. Pinning replaces host-name checks: the parties know each other's
 * certificate in advance, so a certificate authority adds nothing but trust in a third party.
 */
final class PinningTrustManager extends X509ExtendedTrustManager {

    private final Set<Fingerprint> pins;
    private final X509TrustManager trustStore;

    PinningTrustManager(Set<Fingerprint> pins, X509TrustManager trustStore) {
        if (pins.isEmpty() && trustStore == null) {
            throw new IllegalArgumentException("a TLS peer must be authenticated: pin its certificate or give a trust store");
        }
        this.pins = Set.copyOf(pins);
        this.trustStore = trustStore;
    }

    private void check(X509Certificate[] chain, String authType, boolean peerIsServer) throws CertificateException {
        if (chain == null || chain.length == 0) {
            throw new CertificateException("peer presented no certificate");
        }
        String who = peerIsServer ? "server" : "client";
        if (!pins.isEmpty()) {
            Fingerprint actual = Fingerprint.of(chain[0]);
            if (!pins.contains(actual)) {
                throw new CertificateException("the " + who + "'s certificate fingerprint " + actual
                        + " matches no pinned fingerprint (" + pins.stream().map(Fingerprint::toString)
                        .collect(Collectors.joining(", ")) + ")");
            }
        }
        if (trustStore != null) {
            if (peerIsServer) {
                trustStore.checkServerTrusted(chain, authType);
            } else {
                trustStore.checkClientTrusted(chain, authType);
            }
        }
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        check(chain, authType, false);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        check(chain, authType, true);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
        check(chain, authType, false);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
        check(chain, authType, true);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
        check(chain, authType, false);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
        check(chain, authType, true);
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return trustStore == null ? new X509Certificate[0] : trustStore.getAcceptedIssuers();
    }
}
