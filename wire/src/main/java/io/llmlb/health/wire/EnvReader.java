package io.llmlb.health.wire;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Reads typed settings from an environment map, failing with a message that names the variable,
 * the value and the allowed range. Config records are built through it so tests can pass a map.
 */
public final class EnvReader {

    private static final Pattern DECIMAL_SECONDS = Pattern.compile("[0-9]{1,9}(\\.[0-9]{1,3})?");

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

    /**
     * A duration given in seconds with up to three decimals ({@code 0.1}, {@code 0.25}, {@code 2})
     * within {@code [min, max]}, or {@code fallback} when unset. Finer values are refused rather
     * than rounded, so what runs is what was written.
     */
    public Duration decimalSeconds(String name, Duration fallback, Duration min, Duration max) {
        String raw = optional(name);
        if (raw == null) {
            return fallback;
        }
        String range = plainSeconds(min) + ".." + plainSeconds(max);
        if (!DECIMAL_SECONDS.matcher(raw).matches()) {
            throw new ConfigException(name + "=" + raw + " is not a number of seconds with at most 3 decimals;"
                    + " allowed range " + range);
        }
        // At most 9 digits and 3 decimals: always a whole number of milliseconds that fits a long.
        Duration value = Duration.ofMillis(new BigDecimal(raw).movePointRight(3).longValueExact());
        if (value.compareTo(min) < 0 || value.compareTo(max) > 0) {
            throw new ConfigException(name + "=" + raw + " is out of range; allowed range " + range);
        }
        return value;
    }

    /** {@code duration} as seconds without trailing zeros: 0.1, 60. */
    public static String plainSeconds(Duration duration) {
        return BigDecimal.valueOf(duration.toMillis(), 3).stripTrailingZeros().toPlainString();
    }

    /** A TCP port, 0 meaning any free one. */
    public int port(String name, int fallback) {
        return intInRange(name, fallback, 0, 65535);
    }
}
