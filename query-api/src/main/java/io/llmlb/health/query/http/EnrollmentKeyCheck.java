package io.llmlb.health.query.http;

import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerRequest;
import io.llmlb.health.http.ApiException;
import io.llmlb.health.query.auth.LoginThrottle;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;

/**
 * The {@code X-Enrollment-Key} of a self-registration: compared in constant time, and throttled per
 * client address like logins, so the key cannot be guessed at network speed.
 */
public final class EnrollmentKeyCheck {

    static final HeaderName ENROLLMENT_KEY = HeaderNames.create("X-Enrollment-Key");
    /** The throttle's name for enrollment attempts: one key, so per address. */
    private static final String GUESSED = "enrollment key";

    private final byte[] key;
    private final LoginThrottle throttle;
    private final ClientAddresses clients;

    /** {@code key} null: self-registration is disabled. */
    public EnrollmentKeyCheck(String key, LoginThrottle throttle, ClientAddresses clients) {
        this.key = key == null ? null : key.getBytes(StandardCharsets.UTF_8);
        this.throttle = throttle;
        this.clients = clients;
    }

    /**
     * Whether the request enrolls with the right key; false when it sends none.
     *
     * @throws ApiException 403 when self-registration is disabled, 429 after too many wrong keys from
     *         the client's address, 401 for a wrong key
     */
    public boolean presented(ServerRequest request) {
        Optional<String> presented = request.headers().first(ENROLLMENT_KEY);
        if (presented.isEmpty()) {
            return false;
        }
        if (key == null) {
            throw ApiException.forbidden("self-registration is disabled (LLMLB_ENROLLMENT_KEY is not set)");
        }
        LoginThrottle.Attempt attempt = throttle.begin(GUESSED, clients.of(request));
        if (!MessageDigest.isEqual(key, presented.get().getBytes(StandardCharsets.UTF_8))) {
            throw ApiException.unauthorized("wrong enrollment key");
        }
        attempt.succeeded();
        return true;
    }
}
