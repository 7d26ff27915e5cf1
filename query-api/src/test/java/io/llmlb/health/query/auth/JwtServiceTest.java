package io.llmlb.health.query.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.helidon.http.Status;
import io.llmlb.health.http.ApiException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.stream.Stream;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Issuing and verifying operator JWTs. Forged tokens are built by hand (base64url + HMAC), so the
 * test does not trust the library it is checking.
 */
class JwtServiceTest {

    private static final byte[] SECRET = "0123456789abcdef0123456789abcdef-test-secret".getBytes(StandardCharsets.UTF_8);
    private static final byte[] OTHER_SECRET = "another-key-another-key-another-key-!".getBytes(StandardCharsets.UTF_8);
    private static final Instant NOW = Instant.parse("2026-01-01T12:00:00Z");
    private static final Duration TTL = Duration.ofHours(1);

    private final JwtService jwt = new JwtService(SECRET, TTL, Clock.fixed(NOW, ZoneOffset.UTC));

    @Test
    void issuedTokenVerifiesToItsCallerAndRole() {
        Caller admin = new Caller("admin", Role.ADMIN);
        Caller viewer = new Caller("alice", Role.VIEWER);

        assertEquals(admin, jwt.verify(jwt.issue(admin)));
        assertEquals(viewer, jwt.verify(jwt.issue(viewer)));
    }

    @Test
    void handCraftedTokenWithTheRightKeyIsAccepted() {
        // The control for every forgery below: the hand-made format itself is right.
        String token = Jwts.hs256(SECRET, Jwts.HS256_HEADER, Jwts.claims("admin", "admin", NOW.plusSeconds(60)));

        assertEquals(new Caller("admin", Role.ADMIN), jwt.verify(token));
    }

    @Test
    void tokenIsValidUntilItsExpiryAndRefusedFromThen() {
        String token = jwt.issue(new Caller("admin", Role.ADMIN));
        JwtService justBefore = new JwtService(SECRET, TTL, Clock.fixed(NOW.plus(TTL).minusSeconds(1), ZoneOffset.UTC));
        JwtService atExpiry = new JwtService(SECRET, TTL, Clock.fixed(NOW.plus(TTL), ZoneOffset.UTC));
        JwtService dayLater = new JwtService(SECRET, TTL, Clock.fixed(NOW.plus(Duration.ofDays(1)), ZoneOffset.UTC));

        assertEquals("admin", justBefore.verify(token).username());
        assertRefused("expired", () -> atExpiry.verify(token));
        assertRefused("expired", () -> dayLater.verify(token));
    }

    @Test
    void tokenSignedByAnotherInstanceWithTheSameSecretIsAccepted() {
        // Replicas share the secret: a token from one must work on the others (and after a restart).
        JwtService otherReplica = new JwtService(SECRET, TTL, Clock.fixed(NOW, ZoneOffset.UTC));

        assertEquals("admin", otherReplica.verify(jwt.issue(new Caller("admin", Role.ADMIN))).username());
    }

    static Stream<Arguments> forgedTokens() {
        String claims = Jwts.claims("admin", "admin", NOW.plusSeconds(600));
        String viewerToken = Jwts.hs256(SECRET, Jwts.HS256_HEADER, Jwts.claims("alice", "viewer", NOW.plusSeconds(600)));
        String[] viewerParts = viewerToken.split("\\.");
        return Stream.of(
                Arguments.of("alg none, no signature",
                        Jwts.b64("{\"alg\":\"none\",\"typ\":\"JWT\"}") + "." + Jwts.b64(claims) + ".", "token"),
                Arguments.of("alg none, with the signature of a real token",
                        Jwts.b64("{\"alg\":\"none\",\"typ\":\"JWT\"}") + "." + Jwts.b64(claims) + "." + viewerParts[2], "token"),
                Arguments.of("alg HS512 with the right key", Jwts.hmac("HmacSHA512", SECRET,
                        "{\"alg\":\"HS512\",\"typ\":\"JWT\"}", claims), "algorithm"),
                Arguments.of("no alg at all", Jwts.hs256(SECRET, "{\"typ\":\"JWT\"}", claims), "token"),
                Arguments.of("signed with another key", Jwts.hs256(OTHER_SECRET, Jwts.HS256_HEADER, claims), "signature"),
                Arguments.of("payload tampered to role admin", viewerParts[0] + "." + Jwts.b64(claims) + "." + viewerParts[2],
                        "signature"),
                Arguments.of("signature stripped", viewerParts[0] + "." + viewerParts[1] + ".", "token"),
                Arguments.of("expired, right key", Jwts.hs256(SECRET, Jwts.HS256_HEADER,
                        Jwts.claims("admin", "admin", NOW.minusSeconds(1))), "expired"),
                Arguments.of("no expiry", Jwts.hs256(SECRET, Jwts.HS256_HEADER,
                        "{\"sub\":\"admin\",\"role\":\"admin\"}"), "expiry"),
                Arguments.of("expiry not a number", Jwts.hs256(SECRET, Jwts.HS256_HEADER,
                        "{\"sub\":\"admin\",\"role\":\"admin\",\"exp\":\"tomorrow\"}"), "token"),
                Arguments.of("unknown role", Jwts.hs256(SECRET, Jwts.HS256_HEADER,
                        Jwts.claims("admin", "root", NOW.plusSeconds(600))), "role"),
                // Issue 12, item 11: roles are exact names, neither trimmed nor case-folded.
                Arguments.of("role with a space and a NUL around admin", Jwts.hs256(SECRET, Jwts.HS256_HEADER,
                        Jwts.claims("admin", " admin\\u0000", NOW.plusSeconds(600))), "role"),
                Arguments.of("role admin with a dotless i", Jwts.hs256(SECRET, Jwts.HS256_HEADER,
                        Jwts.claims("admin", "adm\u0131n", NOW.plusSeconds(600))), "role"),
                Arguments.of("role in capitals", Jwts.hs256(SECRET, Jwts.HS256_HEADER,
                        Jwts.claims("admin", "ADMIN", NOW.plusSeconds(600))), "role"),
                Arguments.of("role not a string", Jwts.hs256(SECRET, Jwts.HS256_HEADER,
                        "{\"sub\":\"admin\",\"role\":1,\"exp\":" + NOW.plusSeconds(600).getEpochSecond() + "}"), "role"),
                Arguments.of("no subject", Jwts.hs256(SECRET, Jwts.HS256_HEADER,
                        "{\"role\":\"admin\",\"exp\":" + NOW.plusSeconds(600).getEpochSecond() + "}"), "subject"),
                Arguments.of("payload not JSON", Jwts.hs256(SECRET, Jwts.HS256_HEADER, "not json"), "token"),
                Arguments.of("payload a JSON array", Jwts.hs256(SECRET, Jwts.HS256_HEADER, "[1,2]"), "token"),
                Arguments.of("garbage", "garbage", "token"),
                Arguments.of("three garbage parts", "abc.def.ghi", "token"),
                Arguments.of("not base64", "!!!.???.***", "token"),
                Arguments.of("empty", "", "token"),
                Arguments.of("too many parts", viewerToken + ".extra", "token"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("forgedTokens")
    void forgedOrBrokenTokenIsRefusedWith401(String kind, String token, String errorFragment) {
        assertRefused(errorFragment, () -> jwt.verify(token));
    }

    private static void assertRefused(String errorFragment, org.junit.jupiter.api.function.Executable verify) {
        ApiException refused = assertThrows(ApiException.class, verify);
        assertEquals(Status.UNAUTHORIZED_401, refused.status());
        assertTrue(refused.getMessage().contains(errorFragment), refused.getMessage());
    }

    /** Hand-made JWTs: base64url of the JSON parts, HMAC over {@code header.payload}. */
    static final class Jwts {

        static final String HS256_HEADER = "{\"alg\":\"HS256\",\"typ\":\"JWT\"}";

        private Jwts() {
        }

        static String claims(String subject, String role, Instant expiresAt) {
            return "{\"iss\":\"llmlb-health\",\"sub\":\"" + subject + "\",\"role\":\"" + role + "\",\"iat\":"
                    + (expiresAt.getEpochSecond() - 60) + ",\"exp\":" + expiresAt.getEpochSecond() + "}";
        }

        static String hs256(byte[] secret, String header, String payload) {
            return hmac("HmacSHA256", secret, header, payload);
        }

        static String hmac(String algorithm, byte[] secret, String header, String payload) {
            String signingInput = b64(header) + "." + b64(payload);
            try {
                Mac mac = Mac.getInstance(algorithm);
                mac.init(new SecretKeySpec(secret, algorithm));
                byte[] signature = mac.doFinal(signingInput.getBytes(StandardCharsets.US_ASCII));
                return signingInput + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(signature);
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
        }

        static String b64(String json) {
            return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
        }
    }
}
