package io.llmlb.health.query.auth;

import java.util.Locale;

/** What a user may do: an admin administers nodes, a viewer only reads. */
public enum Role {
    ADMIN,
    VIEWER;

    /** The spelling in JWT claims and configuration. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses {@code admin} or {@code viewer}. */
    public static Role fromWire(String wireName) {
        return valueOf(wireName.trim().toUpperCase(Locale.ROOT));
    }
}
