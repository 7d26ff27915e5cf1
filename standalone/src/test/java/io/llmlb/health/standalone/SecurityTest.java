package io.llmlb.health.standalone;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Who may do what, end to end on one running stack with a real broker: one test per behaviour
 * (a forged JWT, the viewer role, node tokens bound to their node, token rotation and deletion
 * reaching ingest through Kafka, disconnect, self-registration, the fleet limit, login
 * throttling). Every variant of each refusal is tested without Kafka in the services' own modules
 * (query-api NodesServiceHttpTest, AuthServiceHttpTest, EnrollmentHttpTest, LoginHttpTest; ingest
 * HeartbeatServiceHttpTest). No test depends on another's order: each works on nodes of its own
 * and the fleet-limit test removes what it registered.
 */
class SecurityTest {

    private static final String JWT_SECRET = "security-test-secret-of-at-least-32-bytes";
    private static final String ENROLLMENT_KEY = "enrol-me-please-0123456789";
    private static final int MAX_NODES = 8;
    private static final Duration PATIENCE = Duration.ofSeconds(30);
    /** The promise: a rotated or deleted token stops working within two seconds. */
    private static final Duration REVOCATION = Duration.ofSeconds(2);
    private static final String TARGET = "viewer-target";

    @TempDir
    static Path dataDir;

    private static Standalone standalone;
    private static ApiClient api;
    private static String adminJwt;
    private static String viewerJwt;

    @BeforeAll
    static void startStack() throws InterruptedException {
        Map<String, String> env = TestStacks.environment(dataDir);
        env.put("LLMLB_JWT_SECRET", JWT_SECRET);
        env.put("LLMLB_VIEWERS", "viewer:viewer-pass,victim:victim-pass");
        env.put("LLMLB_ENROLLMENT_KEY", ENROLLMENT_KEY);
        env.put("LLMLB_MAX_NODES", String.valueOf(MAX_NODES));
        standalone = TestStacks.start(env, Duration.ofMinutes(5), Duration.ofSeconds(1));
        api = new ApiClient(standalone.port());
        adminJwt = api.adminJwt();
        ApiClient.Reply viewerLogin = api.login("viewer", "viewer-pass");
        assertEquals(200, viewerLogin.status(), viewerLogin.body());
        assertEquals("viewer", viewerLogin.json().get("user").get("role").asText());
        viewerJwt = viewerLogin.json().get("token").asText();
        assertEquals(201, api.register(adminJwt, TARGET).status());
        await().atMost(PATIENCE).until(() -> "pending".equals(state(TARGET)));
    }

    @AfterAll
    static void stopStack() {
        if (standalone != null) {
            standalone.close();
        }
    }

    // --- JWT forgery ---------------------------------------------------------------------------

    @Test
    void handCraftedTokenWithTheRightKeyIsAccepted() {
        // The control for the forgeries: the hand-made token format is one the server accepts.
        String token = hs256(JWT_SECRET, HS256, claims("admin", "admin", Instant.now().plusSeconds(300)));

        assertEquals(200, api.nodes(token).status());
    }

    @Test
    void forgedTokenIsRefusedWith401AndWwwAuthenticate() {
        // One forgery end to end; every other kind (alg none, tampered, expired, garbage) is NodesServiceHttpTest's.
        String token = hs256("another-secret-another-secret-another", HS256,
                claims("admin", "admin", Instant.now().plusSeconds(3600)));

        ApiClient.Reply list = api.nodes(token);
        ApiClient.Reply approve = api.admin(token, "POST", "/v0/nodes/" + TARGET + "/approve");

        for (ApiClient.Reply reply : new ApiClient.Reply[] {list, approve}) {
            assertEquals(401, reply.status(), reply.body());
            assertTrue(reply.raw().headers().firstValue("WWW-Authenticate").orElse("").startsWith("Bearer"),
                    reply.raw().headers().map().toString());
            assertTrue(reply.json().get("error").isTextual(), reply.body());
        }
        assertEquals("pending", registryState(TARGET), "the forged admin token approved nothing");
    }

    // --- roles ---------------------------------------------------------------------------------

    @Test
    void viewerGets403OnAnAdminAction() {
        // One admin action end to end; the others, and registration, are NodesServiceHttpTest's.
        ApiClient.Reply reply = api.admin(viewerJwt, "POST", "/v0/nodes/" + TARGET + "/approve");

        assertEquals(403, reply.status(), reply.body());
        assertTrue(reply.json().get("error").asText().contains("admin role"), reply.body());
        assertEquals("pending", registryState(TARGET), "the node is untouched");
    }

    @Test
    void viewerCanListAndReadNodes() {
        await().atMost(PATIENCE).until(() -> api.node(viewerJwt, TARGET) != null);

        ApiClient.Reply detail = api.admin(viewerJwt, "GET", "/v0/nodes/" + TARGET);

        assertEquals(200, api.nodes(viewerJwt).status());
        assertEquals(200, detail.status(), detail.body());
        assertEquals("pending", detail.json().get("state").asText());
    }

    // --- node tokens -----------------------------------------------------------------------------

    @Test
    void nodeTokenOnlyBeatsForItsOwnNode() {
        String tokenOne = registerApproved("bind-1");
        String tokenTwo = registerApproved("bind-2");

        ApiClient.Reply impersonation = api.heartbeat(tokenTwo, ApiClient.seedHeartbeat("bind-1"));

        assertEquals(403, impersonation.status(), impersonation.body());
        assertTrue(impersonation.json().get("error").asText().contains("belongs to another node"), impersonation.body());
        assertEquals(200, api.heartbeat(tokenTwo, ApiClient.seedHeartbeat("bind-2")).status());
        assertEquals(200, api.heartbeat(tokenOne, ApiClient.seedHeartbeat("bind-1")).status());
        await().atMost(PATIENCE).until(() -> heartbeats("bind-2") == 1 && heartbeats("bind-1") == 1);
        assertEquals(1, heartbeats("bind-1"), "the impersonating heartbeat was not counted for bind-1");
    }

    @Test
    void rotatedTokenReplacesTheOldOneWithinTwoSeconds() {
        String oldToken = registerApproved("rotating");
        assertEquals(200, api.heartbeat(oldToken, ApiClient.seedHeartbeat("rotating")).status());

        ApiClient.Reply rotated = api.admin(adminJwt, "POST", "/v0/nodes/rotating/token");

        assertEquals(200, rotated.status(), rotated.body());
        String newToken = rotated.json().get("node_token").asText();
        assertNotEquals(oldToken, newToken);
        await().atMost(REVOCATION).pollInterval(Duration.ofMillis(50))
                .until(() -> api.heartbeat(oldToken, ApiClient.seedHeartbeat("rotating")).status() == 401);
        await().atMost(REVOCATION).pollInterval(Duration.ofMillis(50))
                .until(() -> api.heartbeat(newToken, ApiClient.seedHeartbeat("rotating")).status() == 200);
        ApiClient.Reply oldAgain = api.heartbeat(oldToken, ApiClient.seedHeartbeat("rotating"));
        assertEquals(401, oldAgain.status(), "the old token stays dead");
        assertTrue(oldAgain.json().get("error").asText().contains("unknown or revoked"), oldAgain.body());
        assertEquals(200, api.heartbeat(newToken, ApiClient.seedHeartbeat("rotating")).status());
    }

    @Test
    void deletedNodeLosesItsTokenAndLeavesTheList() {
        String token = registerApproved("doomed");
        assertEquals(200, api.heartbeat(token, ApiClient.seedHeartbeat("doomed")).status());
        await().atMost(PATIENCE).until(() -> heartbeats("doomed") == 1);

        ApiClient.Reply deleted = api.admin(adminJwt, "DELETE", "/v0/nodes/doomed");

        assertEquals(200, deleted.status(), deleted.body());
        assertEquals("removed", deleted.json().get("state").asText());
        await().atMost(REVOCATION).pollInterval(Duration.ofMillis(50))
                .until(() -> api.heartbeat(token, ApiClient.seedHeartbeat("doomed")).status() == 401);
        await().atMost(PATIENCE).until(() -> api.node(adminJwt, "doomed") == null);
        assertEquals(404, api.admin(adminJwt, "GET", "/v0/nodes/doomed").status());
        assertEquals(404, api.admin(adminJwt, "DELETE", "/v0/nodes/doomed").status(), "deleting twice");
        assertEquals(404, api.admin(adminJwt, "POST", "/v0/nodes/doomed/approve").status());
    }

    @Test
    void disconnectForcesAnOnlineNodeOfflineUntilItsNextHeartbeat() {
        String token = registerApproved("unplugged");
        assertEquals(200, api.heartbeat(token, ApiClient.seedHeartbeat("unplugged")).status());
        await().atMost(PATIENCE).until(() -> "online".equals(state("unplugged")));

        ApiClient.Reply disconnected = api.admin(adminJwt, "POST", "/v0/nodes/unplugged/disconnect");

        assertEquals(200, disconnected.status(), disconnected.body());
        assertEquals("offline", disconnected.json().get("state").asText());
        await().atMost(PATIENCE).until(() -> "offline".equals(state("unplugged")));
        assertEquals(200, api.heartbeat(token, ApiClient.seedHeartbeat("unplugged")).status());
        await().atMost(PATIENCE).until(() -> "online".equals(state("unplugged")));
        ApiClient.Reply pendingDisconnect = api.admin(adminJwt, "POST", "/v0/nodes/" + TARGET + "/disconnect");
        assertEquals(409, pendingDisconnect.status(), "a pending node cannot be disconnected: " + pendingDisconnect.body());
    }

    // --- self-registration --------------------------------------------------------------------

    @Test
    void enrollmentKeyLetsANodeRegisterItselfAsPending() {
        ApiClient.Reply enrolled = enroll(ENROLLMENT_KEY, "{\"node_id\": \"self-made\", \"machine_name\": \"gpu-7\"}");

        assertEquals(201, enrolled.status(), enrolled.body());
        assertEquals("pending", enrolled.json().get("state").asText());
        String token = enrolled.json().get("node_token").asText();
        assertEquals(200, api.heartbeat(token, ApiClient.seedHeartbeat("self-made")).status(),
                "the enrolled node can beat at once");
        await().atMost(PATIENCE).until(() -> "pending".equals(state("self-made")));
        assertEquals("gpu-7", api.node(adminJwt, "self-made").get("machine_name").asText());
    }

    @Test
    void fiveFailedLoginsWithinAMinuteGive429WithRetryAfter() {
        for (int attempt = 1; attempt <= 5; attempt++) {
            assertEquals(401, api.login("victim", "wrong-" + attempt).status(), "attempt " + attempt);
        }

        ApiClient.Reply throttled = api.login("victim", "victim-pass");

        assertEquals(429, throttled.status(), "even the right password waits: " + throttled.body());
        long retryAfter = Long.parseLong(throttled.raw().headers().firstValue("Retry-After").orElseThrow());
        assertTrue(retryAfter >= 1 && retryAfter <= 60, "Retry-After " + retryAfter);
        assertTrue(throttled.json().get("error").asText().contains("too many failed logins"), throttled.body());
        assertEquals(200, api.login("viewer", "viewer-pass").status(), "other users from this address are not blocked");
    }

    // --- fleet limit ------------------------------------------------------------------------------

    @Test
    void registrationBeyondMaxNodesIsRefusedAsFleetFull() {
        // Fills whatever room the other tests left (they may have run before or not).
        java.util.List<String> fillers = new java.util.ArrayList<>();
        ApiClient.Reply last = null;
        for (int i = 0; i <= MAX_NODES; i++) {
            last = api.register(adminJwt, "filler-" + i);
            if (last.status() != 201) {
                break;
            }
            fillers.add("filler-" + i);
        }

        assertNotNull(last);
        assertFalse(fillers.isEmpty(), "the other tests left no room at all");
        assertEquals(409, last.status(), last.body());
        assertTrue(last.json().get("error").asText().contains("fleet is full"), last.body());
        // The registrations went through Kafka: each shows in the node view.
        await().atMost(PATIENCE).until(() -> fillers.stream().allMatch(id -> api.node(adminJwt, id) != null));
        ApiClient.Reply enrolled = enroll(ENROLLMENT_KEY, "{\"node_id\": \"one-too-many\"}");
        assertEquals(409, enrolled.status(), "self-registration obeys the limit too: " + enrolled.body());

        assertEquals(200, api.admin(adminJwt, "DELETE", "/v0/nodes/" + fillers.getFirst()).status());
        assertEquals(201, api.register(adminJwt, "after-delete").status(), "a deletion frees a place");
        assertEquals(409, api.register(adminJwt, "one-too-many").status());

        // Leave the room to the other tests, whatever order they run in.
        for (String filler : fillers.subList(1, fillers.size())) {
            assertEquals(200, api.admin(adminJwt, "DELETE", "/v0/nodes/" + filler).status());
        }
        assertEquals(200, api.admin(adminJwt, "DELETE", "/v0/nodes/after-delete").status());
    }

    // --- helpers --------------------------------------------------------------------------------

    private static String registerApproved(String nodeId) {
        ApiClient.Reply registered = api.register(adminJwt, nodeId);
        assertEquals(201, registered.status(), registered.body());
        assertEquals(200, api.admin(adminJwt, "POST", "/v0/nodes/" + nodeId + "/approve").status());
        return registered.json().get("node_token").asText();
    }

    private static ApiClient.Reply enroll(String key, String body) {
        return api.send("POST", "/v0/nodes", Map.of("X-Enrollment-Key", key, "Content-Type", "application/json"), body);
    }

    /** The node's state as the registry sees it: approving a node twice is a 409, so "pending" means not approved. */
    private static String registryState(String nodeId) {
        ApiClient.Reply detail = api.admin(adminJwt, "GET", "/v0/nodes/" + nodeId);
        if (detail.status() == 404) {
            return null;
        }
        return detail.json().get("approved").asBoolean() ? "approved" : "pending";
    }

    private static String state(String nodeId) {
        JsonNode node = api.node(adminJwt, nodeId);
        return node == null ? null : node.get("state").asText();
    }

    private static long heartbeats(String nodeId) {
        JsonNode node = api.node(adminJwt, nodeId);
        return node == null ? -1 : node.get("heartbeats").asLong();
    }

    private static final String HS256 = "{\"alg\":\"HS256\",\"typ\":\"JWT\"}";

    private static String claims(String subject, String role, Instant expiresAt) {
        return "{\"iss\":\"llmlb-health\",\"sub\":\"" + subject + "\",\"role\":\"" + role + "\",\"iat\":"
                + Instant.now().getEpochSecond() + ",\"exp\":" + expiresAt.getEpochSecond() + "}";
    }

    /** A real viewer token from the server with its payload swapped for an admin one, signature kept. */
    private static String tamperedViewerToken() {
        String[] parts = hs256(JWT_SECRET, HS256, claims("viewer", "viewer", Instant.now().plusSeconds(3600)))
                .split("\\.");
        return parts[0] + "." + b64(claims("viewer", "admin", Instant.now().plusSeconds(3600))) + "." + parts[2];
    }

    private static String hs256(String secret, String header, String payload) {
        String signingInput = b64(header) + "." + b64(payload);
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
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
