package io.llmlb.health.wire;

import java.time.Duration;
import java.util.Map;

/**
 * Reads typed settings from an environment map, failing with a message that names the variable,
 * the value and the allowed range. Config records are built through it so tests can pass a map.
 */
public final class EnvReader {

    private final Map<String, String> env;

    public EnvReader(Map<String, String> env) {
        this.env = Map.copyOf(env);
    }

    /** Every variable, for readers of their own prefix (the Kafka client settings). */
    public Map<String, String> variables() {
        return env;
    }

    /** The value of {@code name}, or {@code fallback} when unset or blank. */
    public String string(String name, String fallback) {
        String value = env.get(name);
        return value == null || value.isBlank() ? fallback : value.trim();
    }

    /** The value of {@code name}, or null when unset or blank. */
    public String optional(String name) {
        return string(name, null);
    }

    /** An integer in {@code [min, max]}, or {@code fallback} when unset. */
    public int intInRange(String name, int fallback, int min, int max) {
        String raw = optional(name);
        if (raw == null) {
            return fallback;
        }
        long value;
        try {
            value = Long.parseLong(raw);
        } catch (NumberFormatException e) {
            throw new ConfigException(name + "=" + raw + " is not a whole number; allowed range " + min + ".." + max);
        }
        if (value < min || value > max) {
            throw new ConfigException(name + "=" + raw + " is out of range; allowed range " + min + ".." + max);
        }
        return (int) value;
    }

    /** A duration given in whole seconds within {@code [min, max]}. */
    public Duration seconds(String name, int fallback, int min, int max) {
        return Duration.ofSeconds(intInRange(name, fallback, min, max));
    }

    /** A TCP port, 0 meaning any free one. */
    public int port(String name, int fallback) {
        return intInRange(name, fallback, 0, 65535);
    }
}
