package io.llmlb.health.query.auth;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/** The users allowed to log in, from configuration. */
public final class UserDirectory {

    /** Checked against for unknown users, so a wrong user name costs as long as a wrong password. */
    private static final String DUMMY_HASH = PasswordHasher.hash("no such user");

    private final Map<String, UserAccount> byUsername;

    public UserDirectory(List<UserAccount> accounts) {
        this.byUsername = accounts.stream().collect(Collectors.toUnmodifiableMap(UserAccount::username,
                Function.identity(), (first, second) -> second));
    }

    /** The caller for these credentials, if they are right. */
    public Optional<Caller> authenticate(String username, String password) {
        UserAccount account = byUsername.get(username);
        boolean matches = PasswordHasher.matches(password, account == null ? DUMMY_HASH : account.passwordHash());
        return account != null && matches
                ? Optional.of(new Caller(account.username(), account.role()))
                : Optional.empty();
    }

    /**
     * Whether {@code caller} (from a token) is still a configured user with the role the token
     * claims: after a restart with that user removed, renamed or given another role, the token is dead.
     */
    public boolean stillHolds(Caller caller) {
        UserAccount account = byUsername.get(caller.username());
        return account != null && account.role() == caller.role();
    }

    /** The account of {@code username}, if configured. */
    public Optional<UserAccount> find(String username) {
        return Optional.ofNullable(byUsername.get(username));
    }
}
