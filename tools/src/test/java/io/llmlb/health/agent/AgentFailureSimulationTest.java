package io.llmlb.health.agent;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.llmlb.health.simulator.AdminClient;
import io.llmlb.health.standalone.EmbeddedKafkaBroker;
import io.llmlb.health.standalone.Standalone;
import io.llmlb.health.standalone.StandaloneConfig;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The seed's failure simulation with the real agent against the real pipeline: a node without a
 * token enrolls itself and is approved, goes offline once its agent is stopped ({@code pkill -f
 * xllm}), and is online again at the first heartbeat of a restarted agent, which reuses the
 * token it kept.
 */
class AgentFailureSimulationTest {

    private static final Duration NODE_TIMEOUT = Duration.ofSeconds(3);
    private static final Duration CHECK_INTERVAL = Duration.ofMillis(250);
    private static final Duration BEAT = Duration.ofMillis(500);
    private static final Duration PATIENCE = Duration.ofSeconds(30);
    private static final String ENROLLMENT_KEY = "enroll-me-please";

    @TempDir
    Path dataDir;
    @TempDir
    Path home;

    private HeartbeatAgent agent;

    @AfterEach
    void stopAgent() {
        if (agent != null) {
            agent.stop();
        }
    }

    @Test
    void stoppedAgentGoesOfflineAfterTimeoutAndRestartedAgentIsOnlineAtOnce() throws Exception {
        Map<String, String> serverEnv = new HashMap<>();
        serverEnv.put("LLMLB_PORT", "0");
        serverEnv.put("LLMLB_HOST", "127.0.0.1");
        serverEnv.put("LLMLB_DATA_DIR", dataDir.toString());
        serverEnv.put("LLMLB_KAFKA_PORT", String.valueOf(EmbeddedKafkaBroker.freePort()));
        // Beats every 0.5 s, faster than the per-node limit allows (it has tests of its own).
        serverEnv.put("LLMLB_HEARTBEAT_RATE", "6000");
        serverEnv.put("LLMLB_HEARTBEAT_BURST", "1000");
        serverEnv.put("LLMLB_ENROLLMENT_KEY", ENROLLMENT_KEY);
        try (Standalone standalone = Standalone.start(
                StandaloneConfig.fromEnv(serverEnv).withTimings(NODE_TIMEOUT, CHECK_INTERVAL))) {
            URI url = URI.create("http://127.0.0.1:" + standalone.port());
            AdminClient admin = new AdminClient(url).login("admin", "test");
            AgentConfig config = AgentConfig.fromEnv(Map.of(
                    "LLMLB_URL", url.toString(),
                    "LLMLB_ENROLLMENT_KEY", ENROLLMENT_KEY,
                    "XLLM_NODE_ID", "gpu-node-1",
                    "XLLM_TOKEN_FILE", home.resolve("token").toString(),
                    "XLLM_NVIDIA_SMI", "off",
                    "XLLM_ACTIVE_REQUESTS_CMD", "echo 2",
                    "XLLM_MODELS_CMD", "echo llama-3.2-1b"), "gpu-host", home).withHeartbeatInterval(BEAT);

            // Given an agent with no token: it registers itself and keeps its token, owner-only
            agent = new HeartbeatAgent(config);
            agent.start();
            await().atMost(PATIENCE).until(() -> Files.exists(home.resolve("token")));
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(home.resolve("token"))));
            String keptToken = Files.readString(home.resolve("token"));
            await().atMost(PATIENCE).until(() -> admin.state("gpu-node-1"), Optional.of("pending")::equals);

            // and an admin approves it: online, with the agent's figures
            admin.approve("gpu-node-1");
            await().atMost(PATIENCE).until(() -> heartbeats(admin) >= 2 && "online".equals(state(admin)));
            JsonNode node = admin.node("gpu-node-1").orElseThrow();
            assertEquals("gpu-host", node.get("machine_name").asText());
            assertEquals(2, node.get("active_requests").asInt());
            assertEquals("llama-3.2-1b", node.get("loaded_models").get(0).asText());
            assertTrue(node.get("system_metrics").get("memory_usage").asDouble() > 0, node.toString());

            // When the agent is stopped (the seed's pkill -f xllm)
            agent.stop();
            long stoppedAt = System.nanoTime();

            // Then the node goes offline, and not before the timeout has run out
            await().atMost(PATIENCE).until(() -> "offline".equals(state(admin)));
            Duration silentFor = Duration.ofNanos(System.nanoTime() - stoppedAt);
            assertTrue(silentFor.compareTo(NODE_TIMEOUT.minus(BEAT)) >= 0, "offline after only " + silentFor);
            assertEquals(1, admin.node("gpu-node-1").orElseThrow().get("timeouts").asInt());

            // When the agent starts again: it reuses its token (no second registration)
            agent = new HeartbeatAgent(config);
            agent.start();

            // Then the node is online at its first heartbeat, long before another timeout
            await().atMost(NODE_TIMEOUT).until(() -> "online".equals(state(admin)));
            assertEquals(keptToken, Files.readString(home.resolve("token")));
            assertEquals(1, admin.stateCounts().values().stream().mapToInt(Integer::intValue).sum());
            agent.stop();
        }
    }

    private static String state(AdminClient admin) {
        return admin.state("gpu-node-1").orElse(null);
    }

    private static long heartbeats(AdminClient admin) {
        return admin.node("gpu-node-1").map(node -> node.get("heartbeats").asLong()).orElse(0L);
    }
}
