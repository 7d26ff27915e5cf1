package io.llmlb.health.processor.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.llmlb.health.kafka.KafkaSettings;
import io.llmlb.health.processor.config.FailoverSettings;
import io.llmlb.health.processor.config.StateProcessorConfig;
import io.llmlb.health.processor.config.SuspensionSettings;
import io.llmlb.health.wire.Json;
import io.llmlb.health.wire.NodeState;
import io.llmlb.health.wire.NodeStatus;
import io.llmlb.health.wire.NodeTokens;
import io.llmlb.health.wire.Registration;
import io.llmlb.health.wire.RegistryCommand;
import io.llmlb.health.wire.StoreNames;
import io.llmlb.health.wire.Topics;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Whoever can write the registry can approve nodes, so the state-processor reads it as untrusted
 * input: forged, malformed or mistyped records never become nodes, never delete one, never stop
 * the processor, and are logged once.
 */
class UntrustedInputTopologyTest {

    private static final Instant START = Instant.parse("2025-01-01T12:00:00Z");
    private static final Topics TOPICS = new Topics("llmlb.");
    private static final Logger GATE_LOG = Logger.getLogger(InputGate.class.getName());

    @TempDir
    Path stateDir;

    private TopologyTestDriver driver;
    private TestInputTopic<String, byte[]> registry;
    private TestInputTopic<String, byte[]> heartbeats;
    private TestOutputTopic<String, byte[]> changes;
    private KeyValueStore<String, NodeState> store;
    private final List<String> logLines = new ArrayList<>();
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord record) {
            logLines.add(record.getMessage());
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    @BeforeEach
    void startDriver() {
        StateProcessorConfig config = new StateProcessorConfig(
                new KafkaSettings("unused:9092", TOPICS, 1, (short) 1), Duration.ofSeconds(30), Duration.ofSeconds(1),
                Duration.ofMillis(100), stateDir, "test-app", SuspensionSettings.DEFAULT, 0, FailoverSettings.DEFAULT);
        Properties props = new Properties();
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        driver = new TopologyTestDriver(NodeStateTopology.build(config), props, START);
        registry = driver.createInputTopic(TOPICS.nodeRegistry(), Serdes.String().serializer(), Serdes.ByteArray().serializer());
        heartbeats = driver.createInputTopic(TOPICS.heartbeats(), Serdes.String().serializer(), Serdes.ByteArray().serializer());
        changes = driver.createOutputTopic(TOPICS.nodeStateChanges(), Serdes.String().deserializer(),
                Serdes.ByteArray().deserializer());
        store = driver.getKeyValueStore(StoreNames.NODE_STATE);
        GATE_LOG.addHandler(capture);
    }

    @AfterEach
    void closeDriver() {
        GATE_LOG.removeHandler(capture);
        driver.close();
    }

    @Test
    void recordWithAnInvalidNodeIdNeverBecomesANodeAndIsLoggedOnce() {
        String rogue = "rogue \"id\"<b>";
        byte[] value = json(rogue, NodeTokens.sha256Hex("chosen"), true);

        registry.pipeInput(rogue, value, START);
        registry.pipeInput(rogue, value, START);

        assertNull(store.get(rogue));
        assertTrue(changes.isEmpty());
        assertEquals(1, logLines.size(), logLines.toString());
        assertTrue(logLines.getFirst().contains("key is not a valid node id"), logLines.getFirst());
    }

    @Test
    void forgedApprovalWithAMalformedHashLeavesThePendingNodePending() {
        registry.pipeInput("node-1", json("node-1", NodeTokens.sha256Hex("real"), false), START);

        registry.pipeInput("node-1", json("node-1", "chosen-not-a-hash", true), START);

        assertEquals(NodeStatus.PENDING, store.get("node-1").state());
        assertEquals(1, changes.readValuesToList().size(), "only the registration");
    }

    @Test
    void mistypedFieldsAreIgnoredAndNeverTakenForADeletion() {
        registry.pipeInput("node-1", json("node-1", NodeTokens.sha256Hex("real"), false), START);
        changes.readValuesToList();
        String hash = NodeTokens.sha256Hex("real");

        for (String forged : List.of(
                "{\"node_id\":\"node-1\",\"token_sha256\":\"" + hash + "\",\"approved\":\"true\"}",
                "{\"node_id\":\"node-1\",\"token_sha256\":\"" + hash + "\",\"approved\":1}",
                "{\"node_id\":[\"node-1\"],\"token_sha256\":\"" + hash + "\",\"approved\":true}",
                "null",
                "{not json")) {
            registry.pipeInput("node-1", forged.getBytes(StandardCharsets.UTF_8), START);
        }
        registry.pipeInput("node-1", json("node-2", hash, true), START);

        assertEquals(NodeStatus.PENDING, store.get("node-1").state());
        assertNull(store.get("node-2"));
        assertTrue(changes.isEmpty(), "no transition from any forged record");
    }

    @Test
    void unreadableHeartbeatIsSkippedAndTheNextOneCounts() {
        registry.pipeInput("node-1", json("node-1", NodeTokens.sha256Hex("real"), false), START);

        heartbeats.pipeInput("node-1", "{\"node_id\":".getBytes(StandardCharsets.UTF_8), START);
        heartbeats.pipeInput("node-1", heartbeat("node-2"), START);
        heartbeats.pipeInput("bad id!", heartbeat("bad id!"), START);
        heartbeats.pipeInput("node-1", heartbeat("node-1"), START);

        assertEquals(1, store.get("node-1").heartbeats());
        assertFalse(logLines.isEmpty());
    }

    private static byte[] json(String nodeId, String hash, boolean approved) {
        return Json.toBytes(new Registration(nodeId, hash, approved, null, Map.of(), START,
                approved ? RegistryCommand.APPROVED : RegistryCommand.REGISTERED, START));
    }

    private static byte[] heartbeat(String nodeId) {
        return ("{\"node_id\":\"" + nodeId.replace("\"", "\\\"") + "\",\"received_at\":\"" + START + "\"}")
                .getBytes(StandardCharsets.UTF_8);
    }
}
