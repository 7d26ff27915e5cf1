package io.llmlb.health.query.http;

import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerRequest;
import io.llmlb.health.http.ApiException;
import io.llmlb.health.query.auth.Caller;
import io.llmlb.health.query.auth.JwtService;

/** Finds the caller of a request from its {@code Authorization: Bearer <jwt>} header. */
public final class Authenticator {

    private static final String BEARER = "bearer ";

    private final JwtService jwt;

    public Authenticator(JwtService jwt) {
        this.jwt = jwt;
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
        return jwt.verify(header.substring(BEARER.length()).trim());
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
