package org.fusionmpc.api.tls;

import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.Provider;
import java.security.cert.Certificate;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * How one party authenticates itself and its peer over TLS 1.3. Immutable; made with {@link #builder()}.
 *
 * <p>A client must pin the server's certificate fingerprint or name a trust store; it never falls back to
 * the JDK's public certificate authorities, since parties of a two-party protocol know each other.
 */
public final class TlsConfig {

    /** The only protocol version offered: TLS 1.3 has no weak cipher suites left to configure away. */
    public static final String PROTOCOL = "TLSv1.3";

    private static final System.Logger LOG = System.getLogger(TlsConfig.class.getName());
    private static final Set<String> LOGGED = ConcurrentHashMap.newKeySet();

    private final TlsIdentity identity;
    private final Set<Fingerprint> pinnedPeers;
    private final KeyStore trustStore;
    private final boolean requireClientAuth;
    private final TlsProvider provider;

    private TlsConfig(Builder b) {
        this.identity = b.identity;
        this.pinnedPeers = Set.copyOf(b.pinnedPeers);
        this.trustStore = b.trustStore;
        this.requireClientAuth = b.requireClientAuth;
        this.provider = b.provider;
    }

    /** Whether Conscrypt's native library loads here, and if not, why. */
    public static boolean conscryptAvailable() {
        return Conscrypts.available();
    }

    public static String conscryptStatus() {
        return Conscrypts.unavailableReason();
    }

    public static Builder builder() {
        return new Builder();
    }

    public TlsIdentity identity() {
        return identity;
    }

    public boolean requireClientAuth() {
        return requireClientAuth;
    }

    public TlsProvider provider() {
        return provider;
    }

    /** An SSL context, the name of the provider that runs it, and whether a server demands client certificates. */
    public record Context(SSLContext sslContext, String providerName, boolean needClientAuth) {
    }

    /** Builds the context for a client ({@code server == false}) or a server. */
    public Context newContext(boolean server) {
        if (server && identity == null) {
            throw new IllegalArgumentException("a TLS server needs an identity (key pair and certificate)");
        }
        if (!server && pinnedPeers.isEmpty() && trustStore == null) {
            throw new IllegalArgumentException(
                    "a TLS client must pin the server's certificate fingerprint or give a trust store");
        }
        if (server && requireClientAuth && pinnedPeers.isEmpty() && trustStore == null) {
            throw new IllegalArgumentException(
                    "a TLS server that requires client authentication must pin client fingerprints or give a trust store");
        }
        try {
            KeyManager[] keyManagers = identity == null ? null : keyManagers(identity);
            TrustManager[] trustManagers = pinnedPeers.isEmpty() && trustStore == null ? null
                    : new TrustManager[] {new PinningTrustManager(pinnedPeers, trustStoreManager())};
            Provider chosen = chooseProvider();
            SSLContext context = chosen == null ? SSLContext.getInstance("TLS") : SSLContext.getInstance("TLS", chosen);
            context.init(keyManagers, trustManagers, new java.security.SecureRandom());
            String name = chosen != null ? Conscrypts.label()
                    : context.getProvider().getName() + " " + context.getProvider().getVersionStr();
            if (LOGGED.add(name)) {
                LOG.log(System.Logger.Level.INFO, "TLS provider: " + name
                        + (chosen == null && provider == TlsProvider.AUTO ? " (" + Conscrypts.unavailableReason() + ")" : ""));
            }
            return new Context(context, name, server && requireClientAuth);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot set up TLS: " + e.getMessage(), e);
        }
    }

    private Provider chooseProvider() {
        return switch (provider) {
            case JDK -> null;
            case AUTO -> Conscrypts.provider();
            case CONSCRYPT -> {
                Provider p = Conscrypts.provider();
                if (p == null) {
                    throw new IllegalStateException("Conscrypt was requested but " + Conscrypts.unavailableReason());
                }
                yield p;
            }
        };
    }

    private X509TrustManager trustStoreManager() throws GeneralSecurityException {
        if (trustStore == null) {
            return null;
        }
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(trustStore);
        for (TrustManager tm : factory.getTrustManagers()) {
            if (tm instanceof X509TrustManager x) {
                return x;
            }
        }
        throw new GeneralSecurityException("the trust store yields no X.509 trust manager");
    }

    private static KeyManager[] keyManagers(TlsIdentity identity) throws GeneralSecurityException {
        char[] password = new char[0];
        KeyStore store = KeyStore.getInstance("PKCS12");
        try {
            store.load(null, null);
        } catch (java.io.IOException e) {
            throw new GeneralSecurityException(e);
        }
        store.setKeyEntry("identity", identity.privateKey(), password, new Certificate[] {identity.certificate()});
        KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        factory.init(store, password);
        return factory.getKeyManagers();
    }

    public static final class Builder {
        private TlsIdentity identity;
        private final Set<Fingerprint> pinnedPeers = new LinkedHashSet<>();
        private KeyStore trustStore;
        private boolean requireClientAuth;
        private TlsProvider provider = TlsProvider.AUTO;

        private Builder() {
        }

        /** This party's key and certificate: required for a server, and for a client under mutual authentication. */
        public Builder identity(TlsIdentity identity) {
            this.identity = Objects.requireNonNull(identity);
            return this;
        }

        /** Accept a peer whose certificate has this fingerprint. May be called several times. */
        public Builder pinPeer(Fingerprint fingerprint) {
            pinnedPeers.add(Objects.requireNonNull(fingerprint));
            return this;
        }

        /** Also require the peer's chain to validate against this trust store. */
        public Builder trustStore(KeyStore store) {
            this.trustStore = Objects.requireNonNull(store);
            return this;
        }

        /** Server side: refuse clients that do not present a pinned (or trusted) certificate. */
        public Builder requireClientAuth(boolean require) {
            this.requireClientAuth = require;
            return this;
        }

        public Builder provider(TlsProvider provider) {
            this.provider = Objects.requireNonNull(provider);
            return this;
        }

        public TlsConfig build() {
            return new TlsConfig(this);
        }
    }
}
