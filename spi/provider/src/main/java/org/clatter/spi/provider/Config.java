package org.clatter.spi.provider;

import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Immutable string settings handed to providers, keyed like servald's configuration
 * ({@code "transport"}, {@code "udp.reuse_port"}, ...). Typed getters fail with a message naming the key.
 */
public final class Config {
    private static final Config EMPTY = new Config(Map.of());
    private final Map<String, String> values;

    private Config(Map<String, String> values) {
        this.values = Collections.unmodifiableMap(new TreeMap<>(values));
    }

    public static Config empty() {
        return EMPTY;
    }

    public static Config of(Map<String, String> values) {
        return new Config(values);
    }

    /** {@code Config.of("a", "1", "b", "2")}. */
    public static Config of(String... keyValues) {
        if (keyValues.length % 2 != 0) {
            throw new IllegalArgumentException("Config.of takes key/value pairs; got an odd count");
        }
        var m = new TreeMap<String, String>();
        for (int i = 0; i < keyValues.length; i += 2) {
            m.put(keyValues[i], keyValues[i + 1]);
        }
        return new Config(m);
    }

    /** A copy with one more (or replaced) setting. */
    public Config with(String key, String value) {
        var m = new TreeMap<>(values);
        m.put(key, value);
        return new Config(m);
    }

    public Optional<String> get(String key) {
        return Optional.ofNullable(values.get(key));
    }

    public String get(String key, String defaultValue) {
        return values.getOrDefault(key, defaultValue);
    }

    public int getInt(String key, int defaultValue) {
        String v = values.get(key);
        if (v == null) {
            return defaultValue;
        }
        try {
            return Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            throw new ProviderException("setting " + key + "=" + v + " is not a whole number");
        }
    }

    public long getLong(String key, long defaultValue) {
        String v = values.get(key);
        if (v == null) {
            return defaultValue;
        }
        try {
            return Long.parseLong(v.trim());
        } catch (NumberFormatException e) {
            throw new ProviderException("setting " + key + "=" + v + " is not a whole number");
        }
    }

    public boolean getBoolean(String key, boolean defaultValue) {
        String v = values.get(key);
        if (v == null) {
            return defaultValue;
        }
        return switch (v.trim().toLowerCase(java.util.Locale.ROOT)) {
            case "true", "on", "yes", "1" -> true;
            case "false", "off", "no", "0" -> false;
            default -> throw new ProviderException("setting " + key + "=" + v + " is not on/off");
        };
    }

    /** All settings, sorted by key. */
    public Map<String, String> asMap() {
        return values;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Config c && c.values.equals(values);
    }

    @Override
    public int hashCode() {
        return values.hashCode();
    }

    @Override
    public String toString() {
        return values.toString();
    }
}
