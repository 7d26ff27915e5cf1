package io.llmlb.health.kafka;

import io.llmlb.health.wire.GpuMetrics;
import io.llmlb.health.wire.NodeMetrics;
import io.llmlb.health.wire.NodeState;
import io.llmlb.health.wire.NodeStatus;
import io.llmlb.health.wire.NodeTokens;
import io.llmlb.health.wire.Registration;
import io.llmlb.health.wire.RegistryCommand;
import io.llmlb.health.wire.StateChange;
import io.llmlb.health.wire.SystemMetrics;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonSerdeTest {

    private static final Instant AT = Instant.parse("2025-01-01T12:00:00Z");

    @Test
    void nodeStateSurvivesARoundTrip() {
        NodeState state = new NodeState("node-1", NodeStatus.ONLINE, true, "gpu-box", Map.of("zone", "a"),
                AT, AT.plusSeconds(5), AT, AT.plusSeconds(65), 3, 1, 4, AT,
                new NodeMetrics(new GpuMetrics(45.5, 78.2, null), new SystemMetrics(30.0, 50.0), 2,
                        List.of("llama-3.2-1b")));
        JsonSerde<NodeState> serde = JsonSerde.of(NodeState.class);

        assertEquals(state, serde.deserialize("t", serde.serialize("t", state)));
    }

    @Test
    void stateChangeUsesSeedSpellingAndRfc3339Times() {
        StateChange change = new StateChange("node-1", NodeStatus.PENDING, NodeStatus.ONLINE, StateChange.APPROVED,
                AT, null, 2);

        String json = new String(JsonSerde.of(StateChange.class).serialize("t", change), StandardCharsets.UTF_8);

        assertEquals("{\"node_id\":\"node-1\",\"from\":\"pending\",\"to\":\"online\",\"reason\":\"approved\","
                + "\"at\":\"2025-01-01T12:00:00Z\",\"last_seen\":null,\"seq\":2}", json);
    }

    @Test
    void selfEnrolledRegistrationSurvivesARoundTripAndOlderEntriesReadAsAdminRegistered() {
        JsonSerde<Registration> serde = JsonSerde.of(Registration.class);
        Registration enrolled = new Registration("node-1", "ab".repeat(32), false, null, Map.of(), AT,
                RegistryCommand.REGISTERED, AT, true);
        String writtenBeforeTheField = "{\"node_id\":\"node-2\",\"token_sha256\":\"" + "cd".repeat(32) + "\","
                + "\"approved\":false,\"machine_name\":null,\"labels\":{},\"registered_at\":\"2025-01-01T12:00:00Z\","
                + "\"command\":\"REGISTERED\",\"command_at\":\"2025-01-01T12:00:00Z\"}";

        Registration old = serde.deserialize("t", writtenBeforeTheField.getBytes(StandardCharsets.UTF_8));

        assertEquals(enrolled, serde.deserialize("t", serde.serialize("t", enrolled)));
        assertTrue(enrolled.pendingSelfEnrolled());
        assertTrue(!old.selfEnrolled() && !old.pendingSelfEnrolled(), old.toString());
        assertTrue(!enrolled.with(RegistryCommand.APPROVED, AT).pendingSelfEnrolled(), "approval ends the wait");
        assertTrue(enrolled.withToken("ef".repeat(32), AT).selfEnrolled(), "rotation keeps the origin");
    }

    @Test
    void nullIsATombstoneBothWays() {
        JsonSerde<Registration> serde = JsonSerde.of(Registration.class);

        assertNull(serde.serialize("t", null));
        assertNull(serde.deserialize("t", null));
    }

    @Test
    void tokensAreLongRandomAndStoredAsTheirHash() {
        String token = NodeTokens.newToken();
        String hash = NodeTokens.sha256Hex(token);

        assertTrue(token.length() >= 43, "256 bits in base64url is 43 characters");
        assertEquals(64, hash.length());
        assertTrue(NodeTokens.sameHash(hash, NodeTokens.sha256Hex(token)));
        assertTrue(!NodeTokens.sameHash(hash, NodeTokens.sha256Hex(NodeTokens.newToken())));
    }
}
