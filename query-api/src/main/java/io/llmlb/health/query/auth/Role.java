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

    /**
     * Parses exactly {@code admin} or {@code viewer}. No trimming and no case folding: a role
     * claim such as {@code " admin\u0000"} or {@code "adm\u0131n"} (dotless i, which upper-cases
     * to {@code ADMIN}) is not a role, whoever signed it.
     *
     * @throws IllegalArgumentException for anything else
     */
    public static Role fromWire(String wireName) {
        for (Role role : values()) {
            if (role.wireName().equals(wireName)) {
                return role;
            }
        }
        throw new IllegalArgumentException("not a role: " + wireName);
    }
}
