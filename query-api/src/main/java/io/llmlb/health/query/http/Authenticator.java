package io.llmlb.health.query.http;

import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerRequest;
import io.llmlb.health.http.ApiException;
import io.llmlb.health.query.auth.Caller;
import io.llmlb.health.query.auth.JwtService;
import io.llmlb.health.query.auth.UserDirectory;

/**
 * Finds the caller of a request from its {@code Authorization: Bearer <jwt>} header, and checks on
 * every request that the token's user still exists with the role the token claims (users come
 * from configuration: a restart can remove, rename or demote them).
 */
public final class Authenticator {

    private static final String BEARER = "bearer ";

    private final JwtService jwt;
    private final UserDirectory users;

    public Authenticator(JwtService jwt, UserDirectory users) {
        this.jwt = jwt;
        this.users = users;
    }

    /** The caller, or 401. */
    public Caller caller(ServerRequest request) {
        String header = request.headers().first(HeaderNames.AUTHORIZATION).orElse("").trim();
        if (header.isEmpty()) {
            throw ApiException.unauthorized("Authorization: Bearer <jwt> header is required");
        }
        if (header.length() <= BEARER.length() || !header.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            throw ApiException.unauthorized("Authorization header must be Bearer <jwt>");
        }
        Caller caller = jwt.verify(header.substring(BEARER.length()).trim());
        if (!users.stillHolds(caller)) {
            throw ApiException.unauthorized("user " + caller.username() + " no longer exists with role "
                    + caller.role().wireName() + "; log in again");
        }
        return caller;
    }

    /** The caller if an admin; 401 without valid token, 403 for a viewer. */
    public Caller admin(ServerRequest request) {
        Caller caller = caller(request);
        if (!caller.isAdmin()) {
            throw ApiException.forbidden("user " + caller.username() + " is a viewer; this action needs the admin role");
        }
        return caller;
    }
}
