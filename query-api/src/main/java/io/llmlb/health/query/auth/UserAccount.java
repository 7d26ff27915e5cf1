package io.llmlb.health.query.auth;

/**
 * A configured user.
 *
 * @param username login name
 * @param role admin or viewer
 * @param passwordHash {@link PasswordHasher} encoding; the plain password is never kept
 */
public record UserAccount(String username, Role role, String passwordHash) {

    @Override
    public String toString() {
        return "UserAccount[" + username + ", " + role.wireName() + "]";
    }
}
