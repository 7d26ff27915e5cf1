package io.llmlb.health.agent;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.llmlb.health.simulator.AdminClient;
import io.llmlb.health.standalone.EmbeddedKafkaBroker;
import io.llmlb.health.standalone.Standalone;
import io.llmlb.health.standalone.StandaloneConfig;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent run as the README shows it, {@code XLLM_TOKEN=... ./llmlb-health agent} with no node
 * id, on a host whose name is not the node's: it learns its node from the server and heartbeats
 * it; a token or node the server refuses stops it with the reason instead of retrying forever.
 */
class AgentTokenOnlyTest {

    private static final Duration PATIENCE = Duration.ofSeconds(30);

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
    void tokenAloneIsEnoughAndPermanentRefusalsStopTheAgent() throws Exception {
        Map<String, String> serverEnv = new HashMap<>();
        serverEnv.put("LLMLB_PORT", "0");
        serverEnv.put("LLMLB_HOST", "127.0.0.1");
        serverEnv.put("LLMLB_DATA_DIR", dataDir.toString());
        serverEnv.put("LLMLB_KAFKA_PORT", String.valueOf(EmbeddedKafkaBroker.freePort()));
        try (Standalone standalone = Standalone.start(StandaloneConfig.fromEnv(serverEnv))) {
            URI url = URI.create("http://127.0.0.1:" + standalone.port());
            AdminClient admin = new AdminClient(url).login("admin", "test");
            String token = admin.register("node-1");
            admin.approve("node-1");

            // Given only the token, on a host called something else
            agent = new HeartbeatAgent(config(url, Map.of("XLLM_TOKEN", token)));
            agent.start();

            // Then the agent heartbeats node-1
            await().atMost(PATIENCE).until(() -> agent.heartbeatsAcknowledged() >= 2);
            assertEquals("node-1", agent.nodeId());
            await().atMost(PATIENCE).until(() -> admin.node("node-1")
                    .map(node -> node.get("heartbeats").asLong()).orElse(0L) >= 2);
            agent.stop();

            // Given a token the server does not know: the agent stops by itself and says why
            agent = new HeartbeatAgent(config(url, Map.of("XLLM_TOKEN", "not-a-token-of-this-fleet")));
            agent.start();
            awaitGivenUp();
            assertTrue(agent.failure().orElseThrow().contains("401") && agent.failure().get().contains("XLLM_TOKEN"),
                    agent.failure().get());
            assertEquals(0, agent.heartbeatsAcknowledged());

            // Given a valid token with another node's id: 403 is permanent too
            agent = new HeartbeatAgent(config(url, Map.of("XLLM_TOKEN", token, "XLLM_NODE_ID", "node-2")));
            agent.start();
            awaitGivenUp();
            assertTrue(agent.failure().orElseThrow().contains("403") && agent.failure().get().contains("XLLM_NODE_ID"),
                    agent.failure().get());
        }
    }

    private void awaitGivenUp() {
        // It stops on its own: no one calls stop().
        await().atMost(PATIENCE).until(() -> agent.failure().isPresent());
        await().atMost(PATIENCE).until(() -> {
            agent.awaitStopped();
            return true;
        });
    }

    private AgentConfig config(URI url, Map<String, String> node) {
        Map<String, String> env = new HashMap<>(node);
        env.put("LLMLB_URL", url.toString());
        env.put("XLLM_TOKEN_FILE", home.resolve("token").toString());
        env.put("XLLM_NVIDIA_SMI", "off");
        return AgentConfig.fromEnv(env, "some-other-host", home)
                .withHeartbeatInterval(Duration.ofMillis(300))
                .withBackoff(Duration.ofMillis(50), Duration.ofMillis(200));
    }
}
