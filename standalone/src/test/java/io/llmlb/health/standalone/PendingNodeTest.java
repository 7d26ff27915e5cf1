package io.llmlb.health.standalone;

import io.llmlb.health.wire.Reason;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.llmlb.health.wire.StateChange;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * "A pending node never becomes online" through the real pipeline: its heartbeats are accepted
 * and counted, but neither time, nor silence longer than the timeout followed by new heartbeats,
 * nor a restart on the same data moves it out of pending. Only an approval does.
 */
class PendingNodeTest {

    private static final Duration NODE_TIMEOUT = Duration.ofSeconds(3);
    private static final Duration CHECK_INTERVAL = Duration.ofMillis(250);
    private static final Duration PATIENCE = Duration.ofSeconds(30);
    /** Longer than a timeout plus a check, so an online node would have gone offline meanwhile. */
    private static final Duration PAST_THE_TIMEOUT = NODE_TIMEOUT.plus(Duration.ofSeconds(1));

    @TempDir
    Path dataDir;

    private final int kafkaPort = EmbeddedKafkaBroker.freePort();

    @Test
    void pendingNodeNeverBecomesOnlineUntilApprovedEvenAcrossSilenceAndRestart() throws Exception {
        String pendingToken;
        String controlToken;
        String jwt;
        Instant firstLastSeen;
        try (Standalone standalone = start()) {
            ApiClient api = new ApiClient(standalone.port());
            jwt = api.adminJwt();
            pendingToken = register(api, jwt, "waiting");
            // The control: an approved node on the same stack, which does time out.
            controlToken = register(api, jwt, "control");
            assertEquals(200, api.admin(jwt, "POST", "/v0/nodes/control/approve").status());

            // Given a pending node that beats: accepted, counted, last_seen set, still pending.
            assertEquals(200, api.heartbeat(pendingToken, ApiClient.seedHeartbeat("waiting")).status());
            assertEquals(200, api.heartbeat(controlToken, ApiClient.seedHeartbeat("control")).status());
            await().atMost(PATIENCE).until(() -> heartbeats(api, jwt, "waiting") == 1);
            JsonNode waiting = api.node(jwt, "waiting");
            assertEquals("pending", waiting.get("state").asText());
            assertEquals("llama-3.2-1b", waiting.get("loaded_models").get(0).asText(), "its figures are kept");
            firstLastSeen = Instant.parse(waiting.get("last_seen").asText());

            // When it stays silent past the timeout: still pending, while the approved control goes offline.
            await().during(PAST_THE_TIMEOUT).atMost(PAST_THE_TIMEOUT.plusSeconds(5))
                    .until(() -> "pending".equals(state(api, jwt, "waiting")));
            await().atMost(PATIENCE).until(() -> "offline".equals(state(api, jwt, "control")));

            // And beats again after the silence: the offline → online path must not apply to it.
            assertEquals(200, api.heartbeat(pendingToken, ApiClient.seedHeartbeat("waiting")).status());
            assertEquals(200, api.heartbeat(controlToken, ApiClient.seedHeartbeat("control")).status());
            await().atMost(PATIENCE).until(() -> "online".equals(state(api, jwt, "control")));
            await().atMost(PATIENCE).until(() -> heartbeats(api, jwt, "waiting") == 2);
            assertEquals("pending", state(api, jwt, "waiting"));
        }

        // Restart on the same data: the node, its token and its count are back, and it is still pending.
        try (Standalone standalone = start();
             StateChangeReader changes = new StateChangeReader(bootstrap(), "llmlb.node-state-changes")) {
            ApiClient api = new ApiClient(standalone.port());
            await().atMost(PATIENCE).until(() -> heartbeats(api, jwt, "waiting") == 2);
            assertEquals("pending", state(api, jwt, "waiting"));

            assertEquals(200, api.heartbeat(pendingToken, ApiClient.seedHeartbeat("waiting")).status(),
                    "the pending node's token survives the restart");
            await().atMost(PATIENCE).until(() -> heartbeats(api, jwt, "waiting") == 3);
            Instant laterLastSeen = Instant.parse(api.node(jwt, "waiting").get("last_seen").asText());
            assertTrue(laterLastSeen.isAfter(firstLastSeen), firstLastSeen + " then " + laterLastSeen);
            await().during(PAST_THE_TIMEOUT).atMost(PAST_THE_TIMEOUT.plusSeconds(5))
                    .until(() -> "pending".equals(state(api, jwt, "waiting")));

            // Then: approval, and only approval, makes it online.
            ApiClient.Reply approved = api.admin(jwt, "POST", "/v0/nodes/waiting/approve");
            assertEquals(200, approved.status(), approved.body());
            await().atMost(PATIENCE).until(() -> "online".equals(state(api, jwt, "waiting")));
            assertEquals(200, api.heartbeat(pendingToken, ApiClient.seedHeartbeat("waiting")).status());
            await().atMost(PATIENCE).until(() -> heartbeats(api, jwt, "waiting") == 4);
            assertEquals("online", state(api, jwt, "waiting"));

            // The changes topic tells the same story: registered, then approved, nothing in between.
            await().atMost(PATIENCE).until(() -> changes.changesOf("waiting").size() >= 2);
            assertThat(changes.changesOf("waiting").stream().map(StateChange::reason).toList(),
                    contains(Reason.REGISTERED, Reason.APPROVED));
        }
    }

    private Standalone start() throws InterruptedException {
        Map<String, String> env = new HashMap<>(PipelineScenario.testEnvironment(dataDir));
        env.put("LLMLB_KAFKA_PORT", String.valueOf(kafkaPort));
        return Standalone.start(StandaloneConfig.fromEnv(env).withTimings(NODE_TIMEOUT, CHECK_INTERVAL));
    }

    private String bootstrap() {
        return "127.0.0.1:" + kafkaPort;
    }

    private static String register(ApiClient api, String jwt, String nodeId) {
        ApiClient.Reply registered = api.register(jwt, nodeId);
        assertEquals(201, registered.status(), registered.body());
        assertEquals("pending", registered.json().get("state").asText());
        String token = registered.json().get("node_token").asText();
        assertNotNull(token);
        return token;
    }

    private static String state(ApiClient api, String jwt, String nodeId) {
        JsonNode node = api.node(jwt, nodeId);
        return node == null ? null : node.get("state").asText();
    }

    private static long heartbeats(ApiClient api, String jwt, String nodeId) {
        JsonNode node = api.node(jwt, nodeId);
        return node == null ? -1 : node.get("heartbeats").asLong();
    }
}
