package io.llmlb.health.standalone;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The dashboard's history after a restart, on the real broker: what can be rebuilt from Kafka is
 * (nodes per state over the hour and transitions, from {@code node-state-changes}); the heartbeat
 * rate before the restart is not, and says so with nulls.
 */
class HistoryRebuildTest {

    private static final Duration PATIENCE = Duration.ofSeconds(60);

    @TempDir
    Path dataDir;

    @Test
    void nodesPerStateAndTransitionsAreRebuiltAfterARestartTheHeartbeatRateIsNot() throws Exception {
        Map<String, String> env = new HashMap<>(PipelineScenario.testEnvironment(dataDir));
        env.put("LLMLB_KAFKA_PORT", String.valueOf(EmbeddedKafkaBroker.freePort()));
        Instant registeredAfter;

        // Given: a node registered, approved and beating, seen in the history
        try (Standalone first = Standalone.start(StandaloneConfig.fromEnv(env))) {
            ApiClient api = new ApiClient(first.port());
            String jwt = api.adminJwt();
            registeredAfter = Instant.now();
            ApiClient.Reply registered = api.register(jwt, "hist-node");
            assertEquals(201, registered.status(), registered.body());
            assertEquals(200, api.admin(jwt, "POST", "/v0/nodes/hist-node/approve").status());
            String token = registered.json().get("node_token").asText();
            assertEquals(200, api.heartbeat(token, ApiClient.seedHeartbeat("hist-node")).status());
            await().atMost(PATIENCE).until(() -> last(fleet(api, jwt), "online") == 1);
        }

        // When: the whole stack restarts on the same data
        try (Standalone second = Standalone.start(StandaloneConfig.fromEnv(env))) {
            ApiClient api = new ApiClient(second.port());
            String jwt = api.adminJwt();

            // Then: the hour shows the node pending, then online, from the replayed transitions
            await().atMost(PATIENCE).untilAsserted(() -> {
                JsonNode fleet = fleet(api, jwt);
                int before = slotBefore(fleet, registeredAfter);
                assertEquals(0, fleet.get("online").get(before).asInt(), "before the registration: " + fleet);
                assertEquals(1, last(fleet, "online"), fleet.toString());
                assertTrue(fleet.get("heartbeats_per_second").get(before).isNull(),
                        "the rate before this process started is unknown, not zero");
            });
            JsonNode node = api.send("GET", "/v0/nodes/hist-node/history", Map.of("Authorization", "Bearer " + jwt),
                    null).json();
            assertEquals("registered", node.get("transitions").get(0).get("reason").asText(), node.toString());
            assertEquals("approved", node.get("transitions").get(1).get("reason").asText(), node.toString());
        }
    }

    private static JsonNode fleet(ApiClient api, String jwt) {
        ApiClient.Reply reply = api.send("GET", "/v0/history/fleet", Map.of("Authorization", "Bearer " + jwt), null);
        assertEquals(200, reply.status(), reply.body());
        return reply.json();
    }

    private static int last(JsonNode fleet, String state) {
        JsonNode counts = fleet.get(state);
        return counts.get(counts.size() - 1).asInt();
    }

    /** The index of the last slot that ended before {@code at}. */
    private static int slotBefore(JsonNode fleet, Instant at) {
        JsonNode times = fleet.get("at");
        int index = 0;
        for (int i = 0; i < times.size(); i++) {
            if (Instant.parse(times.get(i).asText()).plusSeconds(fleet.get("step_seconds").asLong()).isBefore(at)) {
                index = i;
            }
        }
        return index;
    }
}
