package io.llmlb.health.query.http;

import static io.llmlb.health.query.http.NodesServiceHttpTest.assertJsonError;
import static io.llmlb.health.query.http.NodesServiceHttpTest.parse;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code POST /v0/auth/login} over a real socket with the users in memory: a good login, and bad
 * ones each a 4xx with a JSON error naming what is wrong. Throttling and the password-check pool
 * are LoginHttpTest's; the end-to-end login on a real broker is the standalone module's.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AuthServiceHttpTest {

    private ApiServer api;

    @BeforeAll
    void start() {
        // Behind a trusted proxy each row comes from its own address: the failed-login throttle stays out of the way.
        api = new ApiServer(ApiServer.defaults().withTrustedProxies("127.0.0.1"));
    }

    @AfterAll
    void stop() {
        api.close();
    }

    @Test
    void goodLoginReturnsAJwtAndTheRole() {
        HttpResponse<String> reply = api.login("alice", "alice-pass", "X-Forwarded-For", "192.0.2.200");

        assertEquals(200, reply.statusCode(), reply.body());
        JsonNode json = parse(reply.body());
        assertEquals("viewer", json.path("user").path("role").asText());
        assertEquals("alice", json.path("user").path("username").asText());
        assertEquals(3, json.path("token").asText().split("\\.").length, "a JWT: " + reply.body());
    }

    static Stream<Arguments> badLogins() {
        return Stream.of(
                Arguments.of("malformed", "{\"username\": \"admin\"", 400, "malformed JSON", null),
                Arguments.of("username missing", "{\"password\": \"test\"}", 400, "username is required", "username"),
                Arguments.of("username a number", "{\"username\": 1, \"password\": \"test\"}", 400, "must be a string",
                        "username"),
                Arguments.of("password missing", "{\"username\": \"admin\"}", 400, "password is required", "password"),
                Arguments.of("password empty", "{\"username\": \"admin\", \"password\": \"\"}", 400, "1-256 characters",
                        "password"),
                Arguments.of("username of 300 characters", "{\"username\": \"" + "u".repeat(300)
                        + "\", \"password\": \"x\"}", 400, "1-256 characters", "username"),
                Arguments.of("an array", "[\"admin\", \"test\"]", 400, "must be a JSON object", null),
                Arguments.of("wrong password", "{\"username\": \"admin\", \"password\": \"nope\"}", 401,
                        "invalid username or password", null),
                Arguments.of("unknown user", "{\"username\": \"bad-request-user\", \"password\": \"nope\"}", 401,
                        "invalid username or password", null));
    }

    @ParameterizedTest(name = "login: {0}")
    @MethodSource("badLogins")
    void badLoginGetsA4xxJsonError(String name, String body, int status, String error, String field) {
        HttpResponse<String> reply = api.send("POST", "/v0/auth/login", body, "Content-Type", "application/json",
                "X-Forwarded-For", "198.51.100." + Math.floorMod(name.hashCode(), 250));

        assertJsonError(reply, status, error, field);
        if (status == 401) {
            assertTrue(reply.headers().firstValue("WWW-Authenticate").isPresent(), "401 says how to authenticate");
        }
    }

    @Test
    void loginBodiesThatAreTooLargeOrNotJsonAreRefused() {
        String tooLarge = "{\"username\": \"admin\", \"password\": \"" + "p".repeat(70 * 1024) + "\"}";

        assertJsonError(api.send("POST", "/v0/auth/login", tooLarge, "Content-Type", "application/json"), 413,
                "larger than 65536 bytes", null);
        assertJsonError(api.send("POST", "/v0/auth/login", "{\"username\": \"admin\", \"password\": \"test\"}",
                "Content-Type", "text/plain"), 415, "Content-Type", null);
    }
}
