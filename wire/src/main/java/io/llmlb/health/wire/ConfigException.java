package io.llmlb.health.wire;

/** A configuration value that cannot be used; the message names the variable, value and range. */
public class ConfigException extends RuntimeException {

    public ConfigException(String message) {
        super(message);
    }
}
