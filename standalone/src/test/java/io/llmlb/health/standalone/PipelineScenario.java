package io.llmlb.health.standalone;

import io.llmlb.health.wire.Reason;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.llmlb.health.wire.StateChange;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The seed's basic flow through the real pipeline, on whatever Kafka a subclass provides:
 * login, register, approve, heartbeat, read {@code /v0/nodes} and the changes topic, time out,
 * come back, restart and find everything intact.
 */
abstract class PipelineScenario {

    static final Duration NODE_TIMEOUT = Duration.ofSeconds(3);
    static final Duration CHECK_INTERVAL = Duration.ofMillis(250);
    static final Duration PATIENCE = Duration.ofSeconds(30);
    /** The promise: a node that heartbeats again is online in /v0/nodes within 1 s of the POST. */
    static final Duration BACK_ONLINE = Duration.ofSeconds(1);

    @TempDir
    Path dataDir;

    /** Starts the standalone on {@code dataDir} against the subclass's Kafka. */
    abstract Standalone startStandalone(Path dataDir) throws InterruptedException;

    /** Bootstrap address of the Kafka in use. */
    abstract String bootstrap();

    @Test
    void seedFlowWorksEndToEndAndSurvivesRestart() throws Exception {
        String nodeToken;
        String jwt;
        try (Standalone standalone = startStandalone(dataDir);
             StateChangeReader changes = new StateChangeReader(bootstrap(), "llmlb.node-state-changes")) {
            ApiClient api = new ApiClient(standalone.port());
            jwt = api.adminJwt();

            // register → pending
            ApiClient.Reply registered = api.register(jwt, "node-1");
            assertEquals(201, registered.status(), registered.body());
            assertEquals("pending", registered.json().get("state").asText());
            nodeToken = registered.json().get("node_token").asText();
            await().atMost(PATIENCE).until(() -> state(api, jwt, "node-1"), "pending"::equals);

            // approve → online
            ApiClient.Reply approved = api.admin(jwt, "POST", "/v0/nodes/node-1/approve");
            assertEquals(200, approved.status(), approved.body());
            assertEquals("online", approved.json().get("state").asText());

            // heartbeat → 200 with the seed's shape
            Instant before = Instant.now().minusSeconds(1);
            ApiClient.Reply beat = api.heartbeat(nodeToken, ApiClient.seedHeartbeat("node-1"));
            assertEquals(200, beat.status(), beat.body());
            assertEquals("ok", beat.json().get("status").asText());
            assertTrue(beat.json().get("server_time").isIntegralNumber());
            assertTrue(beat.json().get("server_time").asLong() >= before.getEpochSecond());

            await().atMost(PATIENCE).until(() -> heartbeats(api, jwt, "node-1") == 1);
            JsonNode node = api.node(jwt, "node-1");
            assertEquals("online", node.get("state").asText());
            assertTrue(node.get("last_seen").asText().matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ"),
                    node.get("last_seen").asText());

            // silence → offline after the timeout; heartbeat → online again, visible within 1 s
            await().atMost(PATIENCE).until(() -> state(api, jwt, "node-1"), "offline"::equals);
            assertEquals(200, api.heartbeat(nodeToken, ApiClient.seedHeartbeat("node-1")).status());
            await().atMost(BACK_ONLINE).pollInterval(Duration.ofMillis(20))
                    .until(() -> state(api, jwt, "node-1"), "online"::equals);

            // every transition is on the changes topic, in order, numbered without gaps
            await().atMost(PATIENCE).until(() -> changes.changesOf("node-1").size() >= 4);
            List<StateChange> seen = changes.changesOf("node-1");
            assertThat(seen.stream().map(StateChange::reason).toList(), contains(Reason.REGISTERED,
                    Reason.APPROVED, Reason.TIMEOUT, Reason.HEARTBEAT));
            assertThat(seen.stream().map(StateChange::seq).toList(), contains(1L, 2L, 3L, 4L));
            assertEquals(2, heartbeats(api, jwt, "node-1"));

            // the node's detail carries its recent transitions
            await().atMost(PATIENCE).until(() -> transitionReasons(api, jwt, "node-1").size() == 4);
            assertEquals(List.of("registered", "approved", "timeout", "heartbeat"),
                    transitionReasons(api, jwt, "node-1"));
        }

        // Restart on the same data: nodes, tokens, counts, states and JWTs all still there.
        try (Standalone standalone = startStandalone(dataDir)) {
            ApiClient api = new ApiClient(standalone.port());
            await().atMost(PATIENCE).until(() -> heartbeats(api, jwt, "node-1") == 2);
            assertEquals(200, api.heartbeat(nodeToken, ApiClient.seedHeartbeat("node-1")).status(),
                    "the node token survives the restart");
            await().atMost(PATIENCE).until(() -> heartbeats(api, jwt, "node-1") == 3);
            assertEquals("online", state(api, jwt, "node-1"));
            assertEquals(409, api.register(jwt, "node-1").status(), "the registration survives the restart");
        }
    }

    @Test
    void nodesCanHeartbeatTheMomentTheyAreRegistered() throws Exception {
        try (Standalone standalone = startStandalone(dataDir)) {
            ApiClient api = new ApiClient(standalone.port());
            String jwt = api.adminJwt();
            for (int i = 0; i < 20; i++) {
                String nodeId = "eager-" + i;
                ApiClient.Reply registered = api.register(jwt, nodeId);
                assertEquals(201, registered.status(), registered.body());

                ApiClient.Reply beat = api.heartbeat(registered.json().get("node_token").asText(),
                        ApiClient.seedHeartbeat(nodeId));

                assertEquals(200, beat.status(), nodeId + ": " + beat.body());
            }
        }
    }

    static List<String> transitionReasons(ApiClient api, String jwt, String nodeId) {
        JsonNode detail = api.admin(jwt, "GET", "/v0/nodes/" + nodeId).json();
        List<String> reasons = new java.util.ArrayList<>();
        detail.get("transitions").forEach(transition -> reasons.add(transition.get("reason").asText()));
        return reasons;
    }

    static String state(ApiClient api, String jwt, String nodeId) {
        JsonNode node = api.node(jwt, nodeId);
        return node == null ? null : node.get("state").asText();
    }

    static long heartbeats(ApiClient api, String jwt, String nodeId) {
        JsonNode node = api.node(jwt, nodeId);
        return node == null ? -1 : node.get("heartbeats").asLong();
    }

    /** The environment of a test stack: ephemeral HTTP port, data under {@code dataDir}. */
    static Map<String, String> testEnvironment(Path dataDir) {
        // Tests send one node's heartbeats far faster than a node would; the per-node limit has tests
        // of its own (HeartbeatRateLimitHttpTest), so here it is set as high as it goes.
        return Map.of("LLMLB_PORT", "0", "LLMLB_HOST", "127.0.0.1", "LLMLB_DATA_DIR", dataDir.toString(),
                "LLMLB_HEARTBEAT_RATE", "6000", "LLMLB_HEARTBEAT_BURST", "1000");
    }
}
