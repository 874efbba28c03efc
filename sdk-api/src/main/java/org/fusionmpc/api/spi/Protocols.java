package org.fusionmpc.api.spi;

import java.util.List;
import java.util.Map;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.TreeMap;

/**
 * The registry of protocol plugins, filled once from {@link ServiceLoader}. Selection is by name only, so a
 * plugin can use another plugin (Fusion wraps {@code semi-honest}) without compiling against its internals.
 */
public final class Protocols {

    private static volatile Map<String, ProtocolProvider<?, ?>> registry;

    private Protocols() {
    }

    /** The provider registered under {@code name}; an unknown name is an error that lists the known ones. */
    public static ProtocolProvider<?, ?> byName(String name) {
        ProtocolProvider<?, ?> p = providers().get(name);
        if (p == null) {
            throw new UnknownProtocolException("no protocol named '" + name + "'; known: "
                    + (names().isEmpty() ? "none (no provider in META-INF/services/" + ProtocolProvider.class.getName() + ")"
                    : String.join(", ", names())));
        }
        return p;
    }

    /** Like {@link #byName(String)}, and checks that the parties have the types the caller programs against. */
    @SuppressWarnings("unchecked")
    public static <C, S> ProtocolProvider<C, S> byName(String name, Class<C> clientType, Class<S> serverType) {
        ProtocolProvider<?, ?> p = byName(name);
        if (!clientType.isAssignableFrom(p.clientType()) || !serverType.isAssignableFrom(p.serverType())) {
            throw new UnknownProtocolException("protocol '" + name + "' makes parties of types "
                    + p.clientType().getName() + " / " + p.serverType().getName() + ", not "
                    + clientType.getName() + " / " + serverType.getName());
        }
        return (ProtocolProvider<C, S>) p;
    }

    /**
     * The provider registered under {@code name} as the typed API {@code api} that it offers (an interface its plugin
     * implements beside {@link ProtocolProvider}, e.g. the inference API), so that a caller names only that API, never
     * the plugin's classes. A provider that does not offer {@code api} is a clear error.
     */
    public static <T> T byName(String name, Class<T> api) {
        ProtocolProvider<?, ?> p = byName(name);
        if (!api.isInstance(p)) {
            throw new UnknownProtocolException("protocol '" + name + "' does not offer the " + api.getName() + " API");
        }
        return api.cast(p);
    }

    /**
     * Registers {@code provider} beside those {@link ServiceLoader} found, for a plugin built or configured in code (a
     * test double, an application's own protocol). A name already taken is refused.
     */
    public static synchronized void register(ProtocolProvider<?, ?> provider) {
        java.util.Objects.requireNonNull(provider, "provider");
        Map<String, ProtocolProvider<?, ?>> current = providers();
        ProtocolProvider<?, ?> earlier = current.get(provider.name());
        if (earlier != null) {
            throw new UnknownProtocolException("a protocol named '" + provider.name() + "' is registered already: " + earlier.getClass().getName());
        }
        Map<String, ProtocolProvider<?, ?>> next = new TreeMap<>(current);
        next.put(provider.name(), provider);
        registry = Map.copyOf(next);
    }

    /** The registered names, sorted. */
    public static List<String> names() {
        return providers().keySet().stream().sorted().toList();
    }

    private static Map<String, ProtocolProvider<?, ?>> providers() {
        Map<String, ProtocolProvider<?, ?>> r = registry;
        if (r == null) {
            synchronized (Protocols.class) {
                r = registry;
                if (r == null) {
                    r = load();
                    registry = r;
                }
            }
        }
        return r;
    }

    @SuppressWarnings("rawtypes")
    private static Map<String, ProtocolProvider<?, ?>> load() {
        Map<String, ProtocolProvider<?, ?>> found = new TreeMap<>();
        try {
            for (ProtocolProvider p : ServiceLoader.load(ProtocolProvider.class, Protocols.class.getClassLoader())) {
                ProtocolProvider<?, ?> earlier = found.putIfAbsent(p.name(), p);
                if (earlier != null) {
                    throw new UnknownProtocolException("two providers claim the name '" + p.name() + "': "
                            + earlier.getClass().getName() + " and " + p.getClass().getName());
                }
            }
        } catch (ServiceConfigurationError e) {
            throw new UnknownProtocolException("a protocol provider failed to load: " + e.getMessage());
        }
        return Map.copyOf(found);
    }
}
