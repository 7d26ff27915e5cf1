package io.llmlb.health.standalone;

import static org.awaitility.Awaitility.await;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import io.llmlb.health.wire.NodeStatus;
import io.llmlb.health.wire.Reason;
import io.llmlb.health.wire.StateChange;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Maintenance through the real pipeline (admin endpoint → registry → state-processor → node-state
 * and the change topic → query-api): no timeout verdict while it lasts, across a restart on the
 * same data, heartbeats still counted; its start and end are transitions with their seq, and the
 * node times out as usual after it ends.
 */
class MaintenanceTest {

    private static final Duration NODE_TIMEOUT = Duration.ofSeconds(3);
    private static final Duration CHECK_INTERVAL = Duration.ofMillis(250);
    private static final Duration PATIENCE = Duration.ofSeconds(30);
    /** Longer than a timeout plus a check, so a node not in maintenance would have gone offline. */
    private static final Duration PAST_THE_TIMEOUT = NODE_TIMEOUT.plus(Duration.ofSeconds(1));

    @TempDir
    Path dataDir;

    @Test
    void maintenanceHoldsTimeoutsAcrossARestartAndItsStartAndEndAreTransitionsWithSeq() throws Exception {
        Map<String, String> stackEnv = TestStacks.environment(dataDir);
        String jwt;
        String token;
        try (Standalone standalone = TestStacks.start(stackEnv, NODE_TIMEOUT, CHECK_INTERVAL)) {
            ApiClient api = new ApiClient(standalone.port());
            jwt = api.adminJwt();
            ApiClient.Reply registered = api.register(jwt, "held");
            assertEquals(201, registered.status(), registered.body());
            token = registered.json().get("node_token").asText();
            assertEquals(200, api.admin(jwt, "POST", "/v0/nodes/held/approve").status());
            assertEquals(200, api.heartbeat(token, ApiClient.seedHeartbeat("held")).status());
            await().atMost(PATIENCE).until(() -> heartbeats(api, jwt) == 1);

            // When: the admin puts it in maintenance, and it falls silent past its timeout.
            ApiClient.Reply started = api.admin(jwt, "POST", "/v0/nodes/held/maintenance");
            assertEquals(200, started.status(), started.body());
            await().atMost(PATIENCE).until(() -> node(api, jwt).get("maintenance").asBoolean());
            await().during(PAST_THE_TIMEOUT).atMost(PAST_THE_TIMEOUT.plusSeconds(5))
                    .until(() -> "online".equals(node(api, jwt).get("state").asText()));

            // Then: its heartbeats still count, and /metrics marks it.
            assertEquals(200, api.heartbeat(token, ApiClient.seedHeartbeat("held")).status());
            await().atMost(PATIENCE).until(() -> heartbeats(api, jwt) == 2);
            assertThat(api.send("GET", "/metrics", Map.of(), null).body(),
                    containsString("llm_router_node_maintenance{node_id=\"held\"} 1"));
        }

        // A restart on the same data: still in maintenance, still never timed out.
        try (Standalone standalone = TestStacks.start(stackEnv, NODE_TIMEOUT, CHECK_INTERVAL);
             StateChangeReader changes = new StateChangeReader(bootstrap(stackEnv), "llmlb.node-state-changes")) {
            ApiClient api = new ApiClient(standalone.port());
            await().atMost(PATIENCE).until(() -> heartbeats(api, jwt) == 2);
            await().during(PAST_THE_TIMEOUT).atMost(PAST_THE_TIMEOUT.plusSeconds(5))
                    .until(() -> node(api, jwt).get("maintenance").asBoolean()
                            && "online".equals(node(api, jwt).get("state").asText()));

            // When maintenance ends, the silent node gets one timeout and then goes offline.
            ApiClient.Reply ended = api.admin(jwt, "DELETE", "/v0/nodes/held/maintenance");
            assertEquals(200, ended.status(), ended.body());
            await().atMost(PATIENCE).until(() -> "offline".equals(node(api, jwt).get("state").asText()));
            assertEquals(false, node(api, jwt).get("maintenance").asBoolean());

            // The change topic tells it with consecutive seqs.
            await().atMost(PATIENCE).until(() -> changes.changesOf("held").size() >= 5);
            List<StateChange> all = changes.changesOf("held");
            assertEquals(List.of(Reason.REGISTERED, Reason.APPROVED, Reason.MAINTENANCE_STARTED,
                    Reason.MAINTENANCE_ENDED, Reason.TIMEOUT), all.stream().map(StateChange::reason).toList());
            assertEquals(List.of(1L, 2L, 3L, 4L, 5L), all.stream().map(StateChange::seq).toList());
            assertEquals(NodeStatus.ONLINE, all.get(2).from());
            assertEquals(NodeStatus.ONLINE, all.get(2).to());
        }
    }

    private static String bootstrap(Map<String, String> stackEnv) {
        return "127.0.0.1:" + stackEnv.get("LLMLB_KAFKA_PORT");
    }

    private static JsonNode node(ApiClient api, String jwt) {
        return api.node(jwt, "held");
    }

    private static long heartbeats(ApiClient api, String jwt) {
        JsonNode node = api.node(jwt, "held");
        return node == null ? -1 : node.get("heartbeats").asLong();
    }
}
