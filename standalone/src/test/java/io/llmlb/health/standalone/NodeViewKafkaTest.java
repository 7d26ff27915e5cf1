package io.llmlb.health.standalone;

import static org.awaitility.Awaitility.await;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The query API's one node view on the real broker (issue 14): node-state read by one follower
 * serves the paged list, the summary, a node's detail and the per-node figures on /metrics, and
 * after a restart the service is ready only once the view has read the topic back.
 */
class NodeViewKafkaTest {

    /** Long enough that no approved node times out during the test. */
    private static final Duration NODE_TIMEOUT = Duration.ofSeconds(120);
    private static final Duration CHECK_INTERVAL = Duration.ofMillis(250);
    private static final Duration PATIENCE = Duration.ofSeconds(30);
    private static final int APPROVED = 12;

    @TempDir
    Path dataDir;

    private final int kafkaPort = EmbeddedKafkaBroker.freePort();

    @Test
    void pagedListSummaryAndFiguresComeFromTheFollowedNodeStateTopic() throws Exception {
        String jwt;
        try (Standalone standalone = start()) {
            ApiClient api = new ApiClient(standalone.port());
            jwt = api.adminJwt();
            // Given: 12 approved nodes, 2 of them disconnected, 1 pending, 3 beating with the seed's figures.
            for (int i = 0; i < APPROVED; i++) {
                String id = String.format("page-%02d", i);
                ApiClient.Reply registered = api.register(jwt, id);
                assertEquals(201, registered.status(), registered.body());
                assertEquals(200, api.admin(jwt, "POST", "/v0/nodes/" + id + "/approve").status());
                if (i < 3) {
                    String token = registered.json().get("node_token").asText();
                    assertEquals(200, api.heartbeat(token, ApiClient.seedHeartbeat(id)).status());
                }
            }
            assertEquals(201, api.register(jwt, "page-pending").status());
            await().atMost(PATIENCE).until(() -> "online".equals(state(api, jwt, "page-11")));
            assertEquals(200, api.admin(jwt, "POST", "/v0/nodes/page-10/disconnect").status());
            assertEquals(200, api.admin(jwt, "POST", "/v0/nodes/page-11/disconnect").status());

            // Then: the counts, the pages and the filters agree with what was done.
            await().atMost(PATIENCE).untilAsserted(() -> assertEquals(Map.of("online", 10, "offline", 2,
                    "pending", 1, "total", 13), summary(api, jwt)));
            await().atMost(PATIENCE).until(() -> api.node(jwt, "page-02").get("heartbeats").asInt() == 1);
            List<String> expected = new ArrayList<>();
            for (int i = 0; i < APPROVED; i++) {
                expected.add(String.format("page-%02d", i));
            }
            expected.add("page-pending");
            assertEquals(expected, allPages(api, jwt, "q=page-&limit=5&fields=state"));
            assertEquals(List.of("page-10", "page-11"), allPages(api, jwt, "state=offline&limit=5"));
            JsonNode detail = api.admin(jwt, "GET", "/v0/nodes/page-00").json();
            assertEquals(45.5, detail.get("gpu_metrics").get("usage").asDouble());
            // Transitions come from their own topic, followed apart: they may arrive a moment later.
            await().atMost(PATIENCE).until(() -> api.admin(jwt, "GET", "/v0/nodes/page-00").json()
                    .get("transitions").size() == 2);
            String metrics = api.send("GET", "/metrics", Map.of(), null).body();
            assertThat(metrics, containsString("llm_router_node_gpu_usage_percent{node_id=\"page-00\"} 45.5"));
            assertThat(metrics, containsString("llm_router_node_model_info{model=\"llama-3.2-1b\",node_id=\"page-01\"} 1"));
            assertThat(metrics, containsString("llm_router_nodes{state=\"offline\"} 2"));
        }

        // When the service restarts on the same data, it says ready only after reading node-state back:
        // the first answer after start is already complete, with no waiting.
        try (Standalone standalone = start()) {
            ApiClient api = new ApiClient(standalone.port());
            assertEquals(200, api.send("GET", "/health/ready", Map.of(), null).status());
            assertEquals(Map.of("online", 10, "offline", 2, "pending", 1, "total", 13), summary(api, jwt));
            assertEquals(13, api.nodes(jwt).json().get("nodes").size());
        }
    }

    private static List<String> allPages(ApiClient api, String jwt, String query) {
        List<String> ids = new ArrayList<>();
        String path = "/v0/nodes?" + query;
        while (path != null) {
            ApiClient.Reply page = api.admin(jwt, "GET", path);
            assertEquals(200, page.status(), page.body());
            page.json().get("nodes").forEach(node -> ids.add(node.get("id").asText()));
            JsonNode next = page.json().get("next");
            path = next.isNull() ? null : "/v0/nodes?" + query + "&after=" + next.asText();
        }
        return ids;
    }

    private static Map<String, Integer> summary(ApiClient api, String jwt) {
        ApiClient.Reply reply = api.admin(jwt, "GET", "/v0/nodes/summary");
        assertEquals(200, reply.status(), reply.body());
        Map<String, Integer> counts = new HashMap<>();
        reply.json().get("states").properties().forEach(state -> counts.put(state.getKey(), state.getValue().asInt()));
        counts.put("total", reply.json().get("total").asInt());
        return counts;
    }

    private static String state(ApiClient api, String jwt, String nodeId) {
        JsonNode node = api.node(jwt, nodeId);
        return node == null ? null : node.get("state").asText();
    }

    private Standalone start() throws InterruptedException {
        Map<String, String> env = new HashMap<>(PipelineScenario.testEnvironment(dataDir));
        env.put("LLMLB_KAFKA_PORT", String.valueOf(kafkaPort));
        return Standalone.start(StandaloneConfig.fromEnv(env).withTimings(NODE_TIMEOUT, CHECK_INTERVAL));
    }
}
