package io.llmlb.health.query.auth;

/**
 * An authenticated user.
 *
 * @param username the user's name (JWT {@code sub})
 * @param role what the user may do
 */
public record Caller(String username, Role role) {

    /** Whether the caller may administer nodes. */
    public boolean isAdmin() {
        return role == Role.ADMIN;
    }
}
