package io.llmlb.health.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.llmlb.health.wire.ConfigException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AgentConfigTest {

    private static AgentConfig read(Map<String, String> env) {
        return AgentConfig.fromEnv(env, "gpu-01.lab", Path.of("/home/llm"));
    }

    @Test
    void defaultsFollowTheSeed() {
        AgentConfig config = read(Map.of("XLLM_TOKEN", "t"));

        assertEquals(URI.create("http://localhost:8080"), config.baseUrl());
        assertEquals(Duration.ofSeconds(30), config.heartbeatInterval());
        assertNull(config.nodeId(), "with a token and no XLLM_NODE_ID the server says which node it is");
        assertEquals(Path.of("/home/llm/.llmlb-node-token"), config.tokenFile());
        assertEquals("nvidia-smi", config.nvidiaSmi());
        assertNull(config.enrollmentKey());
    }

    @Test
    void heartbeatSecondsOutsideTheSeedsRangeNameVariableValueAndRange() {
        ConfigException tooShort = assertThrows(ConfigException.class, () -> read(Map.of("XLLM_HEARTBEAT_SECS", "5")));
        ConfigException notNumber = assertThrows(ConfigException.class,
                () -> read(Map.of("XLLM_HEARTBEAT_SECS", "ten")));

        assertEquals("XLLM_HEARTBEAT_SECS=5 is out of range; allowed range 10..60", tooShort.getMessage());
        assertTrue(notNumber.getMessage().startsWith("XLLM_HEARTBEAT_SECS=ten is not a whole number"),
                notNumber.getMessage());
        assertTrue(notNumber.getMessage().endsWith("10..60"), notNumber.getMessage());
        assertThrows(ConfigException.class, () -> read(Map.of("XLLM_HEARTBEAT_SECS", "61")));
        assertEquals(Duration.ofSeconds(10), read(Map.of("XLLM_HEARTBEAT_SECS", "10")).heartbeatInterval());
        assertEquals(Duration.ofSeconds(60), read(Map.of("XLLM_HEARTBEAT_SECS", "60")).heartbeatInterval());
    }

    @Test
    void everythingElseComesFromTheEnvironment() {
        AgentConfig config = read(Map.of(
                "LLMLB_URL", "https://router.example:9443/",
                "XLLM_NODE_ID", "node-7",
                "XLLM_TOKEN_FILE", "/var/lib/xllm/token",
                "LLMLB_ENROLLMENT_KEY", "k",
                "XLLM_LABELS", "rack=a1, gpu=h100",
                "XLLM_NVIDIA_SMI", "off",
                "XLLM_MODELS_CMD", "cat /run/models"));

        assertEquals(URI.create("https://router.example:9443"), config.baseUrl());
        assertEquals("node-7", config.nodeId());
        assertEquals(Path.of("/var/lib/xllm/token"), config.tokenFile());
        assertEquals(Map.of("rack", "a1", "gpu", "h100"), config.labels());
        assertNull(config.nvidiaSmi());
        assertEquals("cat /run/models", config.modelsCommand());
    }

    @Test
    void badUrlAndNodeIdAreNamed() {
        assertTrue(assertThrows(ConfigException.class, () -> read(Map.of("LLMLB_URL", "localhost:8080")))
                .getMessage().startsWith("LLMLB_URL=localhost:8080"));
        assertTrue(assertThrows(ConfigException.class, () -> read(Map.of("XLLM_NODE_ID", "a/b")))
                .getMessage().startsWith("XLLM_NODE_ID=a/b"));
    }

    @Test
    void hostNamesBecomeValidNodeIds() {
        assertEquals("gpu-01.lab", read(Map.of()).nodeId());
        assertEquals("my-host-name", AgentConfig.NodeIdFromHost.of("my host:name"));
        assertEquals("node", AgentConfig.NodeIdFromHost.of(""));
    }

    @Test
    void describeMasksTheToken() {
        String line = read(Map.of("XLLM_TOKEN", "secret-token-value", "LLMLB_ENROLLMENT_KEY", "secret-key")).describe();

        assertTrue(!line.contains("secret"), line);
    }
}
