package io.llmlb.health.query.auth;

import io.helidon.common.Errors;
import io.helidon.security.jwt.Jwt;
import io.helidon.security.jwt.SignedJwt;
import io.helidon.security.jwt.jwk.JwkKeys;
import io.helidon.security.jwt.jwk.JwkOctet;
import io.llmlb.health.http.ApiException;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;

/**
 * Issues and verifies the operators' JWTs with helidon-security-jwt: HS256 only (a token naming
 * any other algorithm, {@code none} included, is refused before its signature is looked at),
 * claims sub, role, iat, exp.
 */
public final class JwtService {

    public static final String ALGORITHM = JwkOctet.ALG_HS256;
    private static final String ISSUER = "llmlb-health";
    private static final String ROLE_CLAIM = "role";
    private static final String KEY_ID = "llmlb-hs256";

    private final JwkOctet key;
    private final JwkKeys noOtherKeys = JwkKeys.builder().build();
    private final Duration ttl;
    private final Clock clock;

    public JwtService(byte[] secret, Duration ttl, Clock clock) {
        this.key = JwkOctet.create(jakarta.json.Json.createObjectBuilder()
                .add("kty", "oct")
                .add("kid", KEY_ID)
                .add("alg", ALGORITHM)
                .add("k", Base64.getUrlEncoder().withoutPadding().encodeToString(secret))
                .build());
        this.ttl = ttl;
        this.clock = clock;
    }

    /** How long issued tokens live. */
    public Duration ttl() {
        return ttl;
    }

    /** A signed token for {@code caller}. */
    public String issue(Caller caller) {
        Instant now = clock.instant();
        Jwt jwt = Jwt.builder()
                .algorithm(ALGORITHM)
                .type("JWT")
                .keyId(KEY_ID)
                .issuer(ISSUER)
                .subject(caller.username())
                .addPayloadClaim(ROLE_CLAIM, caller.role().wireName())
                .issueTime(now)
                .expirationTime(now.plus(ttl))
                .build();
        return SignedJwt.sign(jwt, key).tokenContent();
    }

    /**
     * The caller a token was issued to.
     *
     * @throws ApiException 401 for a token that is malformed, not HS256, signed with another key,
     *         tampered with, expired, or without a known role
     */
    public Caller verify(String token) {
        SignedJwt signed;
        Jwt jwt;
        try {
            signed = SignedJwt.parseToken(token);
            // Reading the claims throws too, for a claim of the wrong JSON type ("exp": "tomorrow").
            jwt = signed.getJwt();
        } catch (RuntimeException e) {
            throw ApiException.unauthorized("malformed token");
        }
        if (!jwt.algorithm().map(ALGORITHM::equals).orElse(false)) {
            throw ApiException.unauthorized("token algorithm must be " + ALGORITHM);
        }
        Errors signature = signed.verifySignature(noOtherKeys, key);
        if (!signature.isValid()) {
            throw ApiException.unauthorized("token signature is invalid");
        }
        Instant expiresAt = jwt.expirationTime().orElseThrow(() -> ApiException.unauthorized("token has no expiry"));
        if (!clock.instant().isBefore(expiresAt)) {
            throw ApiException.unauthorized("token expired");
        }
        String subject = jwt.subject().orElseThrow(() -> ApiException.unauthorized("token has no subject"));
        return new Caller(subject, role(jwt.payloadClaim(ROLE_CLAIM)));
    }

    private static Role role(Optional<JsonValue> claim) {
        try {
            return Role.fromWire(((JsonString) claim.orElseThrow()).getString());
        } catch (RuntimeException e) {
            throw ApiException.unauthorized("token has no valid role");
        }
    }
}
