package io.llmlb.health.query.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.llmlb.health.query.auth.Caller;
import io.llmlb.health.query.auth.Role;
import io.llmlb.health.wire.Json;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.stream.Stream;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code /v0/nodes} over a real socket with the registry and the node view in memory: who may do
 * what (forged and expired JWTs, the viewer role, the enrollment key) and bad requests, each a 4xx
 * with a JSON error naming what is wrong. The end-to-end counterparts on a real broker are the
 * standalone module's SecurityTest and BadRequestTest. One server for the class; no test depends
 * on another (each registers the nodes it changes under its own name).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class NodesServiceHttpTest {

    /** Registered, never approved: nothing a refused caller sends may approve it. */
    private static final String TARGET = "viewer-target";
    /** Registered and approved. */
    private static final String APPROVED = "approved-node";
    private static final String HS256 = "{\"alg\":\"HS256\",\"typ\":\"JWT\"}";

    private ApiServer api;
    private String adminJwt;
    private String viewerJwt;

    @BeforeAll
    void start() {
        api = new ApiServer(ApiServer.defaults());
        adminJwt = api.jwt.issue(new Caller("admin", Role.ADMIN));
        viewerJwt = api.jwt.issue(new Caller("alice", Role.VIEWER));
        assertEquals(201, register(adminJwt, TARGET).statusCode());
        assertEquals(201, register(adminJwt, APPROVED).statusCode());
        assertEquals(200, bearer("POST", "/v0/nodes/" + APPROVED + "/approve", adminJwt).statusCode());
    }

    @AfterAll
    void stop() {
        api.close();
    }

    // --- JWT forgery ---------------------------------------------------------------------------

    @Test
    void handCraftedTokenWithTheRightKeyIsAccepted() {
        // The control for the forgeries: the hand-made token format is one the server accepts.
        String token = hs256(ApiServer.SECRET, claims("admin", "admin", Instant.now().plusSeconds(300)));

        assertEquals(200, bearer("GET", "/v0/nodes", token).statusCode());
    }

    Stream<Arguments> forgedTokens() {
        Instant later = Instant.now().plusSeconds(3600);
        String adminClaims = claims("admin", "admin", later);
        byte[] otherKey = "another-secret-another-secret-another".getBytes(StandardCharsets.UTF_8);
        String[] viewerParts = hs256(ApiServer.SECRET, claims("alice", "viewer", later)).split("\\.");
        return Stream.of(
                Arguments.of("no token", null),
                Arguments.of("alg none", b64("{\"alg\":\"none\",\"typ\":\"JWT\"}") + "." + b64(adminClaims) + "."),
                Arguments.of("alg none with a signature", b64("{\"alg\":\"none\",\"typ\":\"JWT\"}") + "." + b64(adminClaims)
                        + "." + hs256(ApiServer.SECRET, adminClaims).split("\\.")[2]),
                Arguments.of("signed with another key", hs256(otherKey, adminClaims)),
                Arguments.of("payload tampered from viewer to admin",
                        viewerParts[0] + "." + b64(claims("alice", "admin", later)) + "." + viewerParts[2]),
                Arguments.of("expired", hs256(ApiServer.SECRET, claims("admin", "admin", Instant.now().minusSeconds(5)))),
                Arguments.of("exp of the wrong type", hs256(ApiServer.SECRET,
                        "{\"sub\":\"admin\",\"role\":\"admin\",\"exp\":\"never\"}")),
                Arguments.of("garbage", "garbage"),
                Arguments.of("three garbage parts", "abc.def.ghi"),
                Arguments.of("a Basic header", "Basic YWRtaW46dGVzdA=="));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("forgedTokens")
    void forgedTokenIsRefusedWith401AndWwwAuthenticate(String kind, String token) {
        List<HttpResponse<String>> replies = List.of(
                bearer("GET", "/v0/nodes", token),
                bearer("GET", "/v0/nodes/" + TARGET, token),
                bearer("POST", "/v0/nodes/" + TARGET + "/approve", token));

        for (HttpResponse<String> reply : replies) {
            assertJsonError(reply, 401, token == null || token.startsWith("Basic") ? "Bearer" : "", null);
            assertTrue(reply.headers().firstValue("WWW-Authenticate").orElse("").startsWith("Bearer"),
                    reply.headers().map().toString());
        }
        assertFalse(api.registry.byNodeId(TARGET).orElseThrow().approved(), "the forged token approved nothing");
    }

    // --- roles ---------------------------------------------------------------------------------

    static Stream<Arguments> adminActions() {
        return Stream.of(
                Arguments.of("POST", "/v0/nodes/" + TARGET + "/approve"),
                Arguments.of("POST", "/v0/nodes/" + TARGET + "/disconnect"),
                Arguments.of("POST", "/v0/nodes/" + TARGET + "/token"),
                Arguments.of("DELETE", "/v0/nodes/" + TARGET),
                Arguments.of("POST", "/v0/nodes/no-such-node/approve"));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("adminActions")
    void viewerGets403OnEveryAdminAction(String method, String path) {
        String tokenBefore = api.registry.byNodeId(TARGET).orElseThrow().tokenSha256();

        HttpResponse<String> reply = bearer(method, path, viewerJwt);

        assertJsonError(reply, 403, "admin role", null);
        assertFalse(api.registry.byNodeId(TARGET).orElseThrow().approved(), "the node is untouched");
        assertEquals(tokenBefore, api.registry.byNodeId(TARGET).orElseThrow().tokenSha256(), "its token too");
    }

    @Test
    void viewerCannotRegisterNodes() {
        HttpResponse<String> reply = register(viewerJwt, "viewer-made");

        assertJsonError(reply, 403, "admin role", null);
        assertTrue(api.registry.byNodeId("viewer-made").isEmpty(), "the viewer's attempt registered nothing");
    }

    @Test
    void viewerCanListAndReadNodes() {
        HttpResponse<String> list = bearer("GET", "/v0/nodes", viewerJwt);
        HttpResponse<String> detail = bearer("GET", "/v0/nodes/" + TARGET, viewerJwt);

        assertEquals(200, list.statusCode(), list.body());
        assertTrue(list.body().contains("\"" + TARGET + "\""), list.body());
        assertEquals(200, detail.statusCode(), detail.body());
        assertEquals("pending", parse(detail.body()).path("state").asText());
    }

    // --- self-registration --------------------------------------------------------------------

    @Test
    void wrongOrMissingEnrollmentKeyIsRefused() {
        // Another address than the throttle tests', so earlier guesses here cannot turn 401 into 429.
        HttpResponse<String> wrongKey = api.send("POST", "/v0/nodes", "{\"node_id\": \"intruder\"}",
                "X-Enrollment-Key", "not-the-key", "Content-Type", "application/json");
        HttpResponse<String> noKey = api.send("POST", "/v0/nodes", "{\"node_id\": \"intruder\"}",
                "Content-Type", "application/json");

        assertJsonError(wrongKey, 401, "enrollment key", null);
        assertJsonError(noKey, 401, "Bearer", null);
        assertTrue(api.registry.byNodeId("intruder").isEmpty(), "neither attempt registered the node");
    }

    @Test
    void enrollmentKeyGrantsNoAdminAction() {
        HttpResponse<String> approve = api.send("POST", "/v0/nodes/" + TARGET + "/approve", null,
                "X-Enrollment-Key", ApiServer.ENROLLMENT_KEY);

        assertJsonError(approve, 401, "Bearer", null);
        assertFalse(api.registry.byNodeId(TARGET).orElseThrow().approved());
    }

    @Test
    void enrollmentKeyWhileSelfRegistrationIsOffIs403() {
        try (ApiServer closed = new ApiServer(ApiServer.defaults().withoutEnrollment())) {
            HttpResponse<String> reply = closed.send("POST", "/v0/nodes", "{\"node_id\": \"fresh-5\"}",
                    "X-Enrollment-Key", "guess", "Content-Type", "application/json");

            assertJsonError(reply, 403, "self-registration is disabled", null);
            assertEquals(0, closed.registry.size());
        }
    }

    // --- bad requests --------------------------------------------------------------------------

    static Stream<Arguments> badRegistrations() {
        return Stream.of(
                Arguments.of("node_id a path trick", "{\"node_id\": \"../x\"}", 400, "must match", "node_id"),
                Arguments.of("node_id HTML", "{\"node_id\": \"<b>x</b>\"}", 400, "must match", "node_id"),
                Arguments.of("node_id of 65 characters", "{\"node_id\": \"" + "n".repeat(65) + "\"}", 400, "must match",
                        "node_id"),
                Arguments.of("node_id of 300 characters", "{\"node_id\": \"" + "n".repeat(300) + "\"}", 400,
                        "longer than 256", "node_id"),
                Arguments.of("node_id empty", "{\"node_id\": \"\"}", 400, "must match", "node_id"),
                Arguments.of("node_id '..'", "{\"node_id\": \"..\"}", 400, "must match", "node_id"),
                Arguments.of("node_id '.'", "{\"node_id\": \".\"}", 400, "must match", "node_id"),
                Arguments.of("node_id with a space", "{\"node_id\": \"my node\"}", 400, "must match", "node_id"),
                Arguments.of("node_id not ASCII", "{\"node_id\": \"nöde\"}", 400, "must match", "node_id"),
                Arguments.of("node_id an object", "{\"node_id\": {\"id\": \"x\"}}", 400,
                        "must be a string, not an object", "node_id"),
                Arguments.of("machine_name a number", "{\"node_id\": \"fresh-1\", \"machine_name\": 5}", 400,
                        "must be a string", "machine_name"),
                Arguments.of("labels an array", "{\"node_id\": \"fresh-2\", \"labels\": [\"gpu\"]}", 400,
                        "must be an object of strings", "labels"),
                Arguments.of("label value a number", "{\"node_id\": \"fresh-3\", \"labels\": {\"gpus\": 8}}", 400,
                        "label gpus", "labels"),
                Arguments.of("already registered", "{\"node_id\": \"" + APPROVED + "\"}", 409, "already registered",
                        null),
                Arguments.of("registration malformed", "{\"node_id\": ", 400, "malformed JSON", null));
    }

    @ParameterizedTest(name = "register: {0}")
    @MethodSource("badRegistrations")
    void badRegistrationGetsA4xxJsonErrorAndRegistersNothing(String name, String body, int status, String error,
                                                             String field) {
        int before = api.registry.size();

        HttpResponse<String> reply = api.send("POST", "/v0/nodes", body, "Authorization", "Bearer " + adminJwt,
                "Content-Type", "application/json");

        assertJsonError(reply, status, error, field);
        assertEquals(before, api.registry.size());
    }

    @Test
    void registrationBodiesThatAreTooLargeOrNotJsonAreRefused() {
        String tooLarge = "{\"node_id\": \"fresh-6\", \"machine_name\": \"" + "m".repeat(70 * 1024) + "\"}";
        assertJsonError(api.send("POST", "/v0/nodes", tooLarge, "Authorization", "Bearer " + adminJwt,
                "Content-Type", "application/json"), 413, "larger than 65536 bytes", null);
        assertJsonError(api.send("POST", "/v0/nodes", "<node id=\"fresh-7\"/>", "Authorization", "Bearer " + adminJwt,
                "Content-Type", "application/xml"), 415, "not application/xml", null);
        assertTrue(api.registry.byNodeId("fresh-6").isEmpty() && api.registry.byNodeId("fresh-7").isEmpty());
    }

    static Stream<Arguments> badAdminRequests() {
        return Stream.of(
                Arguments.of("approve an unknown node", "POST", "/v0/nodes/no-such-node/approve", 404, "not registered", null),
                Arguments.of("approve a node that is not pending", "POST", "/v0/nodes/" + APPROVED + "/approve", 409,
                        "not pending", null),
                Arguments.of("disconnect a pending node", "POST", "/v0/nodes/" + TARGET + "/disconnect", 409, "", null),
                Arguments.of("disconnect an unknown node", "POST", "/v0/nodes/no-such-node/disconnect", 404,
                        "not registered", null),
                Arguments.of("delete an unknown node", "DELETE", "/v0/nodes/no-such-node", 404, "not registered", null),
                Arguments.of("rotate the token of an unknown node", "POST", "/v0/nodes/no-such-node/token", 404,
                        "not registered", null),
                Arguments.of("read an unknown node", "GET", "/v0/nodes/no-such-node", 404, "not known", null),
                Arguments.of("approve an id of 300 characters", "POST", "/v0/nodes/" + "n".repeat(300) + "/approve", 400,
                        "must match", "id"),
                Arguments.of("approve an id with an encoded slash", "POST", "/v0/nodes/a%2Fb/approve", 404,
                        "no endpoint POST /v0/nodes/a/b/approve", null),
                Arguments.of("approve an id with HTML", "POST", "/v0/nodes/%3Cb%3E/approve", 400, "must match", "id"),
                Arguments.of("unknown path", "GET", "/v0/no-such-thing", 404, "no endpoint GET /v0/no-such-thing", null));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badAdminRequests")
    void badAdminRequestGetsA4xxJsonError(String name, String method, String path, int status, String error,
                                          String field) {
        assertJsonError(bearer(method, path, adminJwt), status, error, field);
        assertFalse(api.registry.byNodeId(TARGET).orElseThrow().approved());
    }

    // --- helpers --------------------------------------------------------------------------------

    /** The 4xx, its JSON body {@code {"error", "field"}}, and no stack trace. */
    static void assertJsonError(HttpResponse<String> reply, int status, String error, String field) {
        assertEquals(status, reply.statusCode(), reply.body());
        assertEquals("application/json", reply.headers().firstValue("Content-Type").orElse(null));
        JsonNode json = parse(reply.body());
        assertNotNull(json, "the body is JSON: " + reply.body());
        assertTrue(json.path("error").asText("").contains(error),
                "error should contain '" + error + "': " + reply.body());
        if (field == null) {
            assertFalse(json.has("field"), reply.body());
        } else {
            assertEquals(field, json.path("field").asText(null), reply.body());
        }
        assertFalse(reply.body().contains("Exception") || reply.body().contains("\tat "), "no stack trace: " + reply.body());
    }

    private HttpResponse<String> bearer(String method, String path, String token) {
        List<String> headers = new ArrayList<>();
        if (token != null) {
            headers.add("Authorization");
            headers.add(token.startsWith("Basic ") ? token : "Bearer " + token);
        }
        return api.send(method, path, null, headers.toArray(String[]::new));
    }

    private HttpResponse<String> register(String token, String nodeId) {
        return api.send("POST", "/v0/nodes", "{\"node_id\":\"" + nodeId + "\"}",
                "Authorization", "Bearer " + token, "Content-Type", "application/json");
    }

    static JsonNode parse(String body) {
        try {
            return Json.MAPPER.readTree(body);
        } catch (IOException notJson) {
            return null;
        }
    }

    private static String claims(String subject, String role, Instant expiresAt) {
        return "{\"iss\":\"llmlb-health\",\"sub\":\"" + subject + "\",\"role\":\"" + role + "\",\"iat\":"
                + Instant.now().getEpochSecond() + ",\"exp\":" + expiresAt.getEpochSecond() + "}";
    }

    private static String hs256(byte[] secret, String payload) {
        String signingInput = b64(HS256) + "." + b64(payload);
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            return signingInput + "." + Base64.getUrlEncoder().withoutPadding()
                    .encodeToString(mac.doFinal(signingInput.getBytes(StandardCharsets.US_ASCII)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String b64(String json) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }
}
