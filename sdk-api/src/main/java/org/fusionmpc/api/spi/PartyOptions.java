package org.fusionmpc.api.spi;

import java.util.Collections;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * String options for making a party, as they come from a command line or a properties file. Immutable.
 * A provider calls {@link #requireOnly} with the keys it knows, so a misspelt option is an error rather than
 * a silently ignored setting.
 */
public final class PartyOptions {

    public static final PartyOptions NONE = new PartyOptions(Map.of());

    private final Map<String, String> values;

    private PartyOptions(Map<String, String> values) {
        this.values = Collections.unmodifiableMap(new TreeMap<>(values));
    }

    public static PartyOptions of(Map<String, String> values) {
        return new PartyOptions(values);
    }

    public Map<String, String> asMap() {
        return values;
    }

    public String get(String key, String fallback) {
        return values.getOrDefault(key, fallback);
    }

    public String require(String key) {
        String v = values.get(key);
        if (v == null) {
            throw new IllegalArgumentException("missing option '" + key + "'");
        }
        return v;
    }

    public int getInt(String key, int fallback) {
        String v = values.get(key);
        if (v == null) {
            return fallback;
        }
        try {
            return Integer.parseInt(v.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("option '" + key + "' must be an integer, got '" + v + "'");
        }
    }

    /** Throws if any key is outside {@code known}, naming the unknown keys and the known ones. */
    public PartyOptions requireOnly(Set<String> known) {
        Set<String> unknown = new TreeSet<>(values.keySet());
        unknown.removeAll(known);
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException("unknown option(s) " + unknown + "; known: " + new TreeSet<>(known));
        }
        return this;
    }

    @Override
    public String toString() {
        return values.toString();
    }
}
