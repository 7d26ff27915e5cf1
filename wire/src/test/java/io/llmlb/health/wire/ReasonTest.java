package io.llmlb.health.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The reason of a state change keeps the wire spelling it had as a free string. */
class ReasonTest {

    @Test
    void wireNamesAreTheLowerCaseStringsOfBefore() {
        assertEquals(List.of("registered", "approved", "heartbeat", "timeout", "disconnected", "removed",
                "maintenance-started", "maintenance-ended", "flapping-started", "flapping-ended"),
                Arrays.stream(Reason.values()).map(Reason::wireName).toList());
    }

    @Test
    void stateChangeJsonCarriesTheWireNameAndReadsBack() {
        StateChange change = new StateChange("node-1", NodeStatus.ONLINE, NodeStatus.OFFLINE, Reason.TIMEOUT,
                Instant.parse("2026-12-01T00:00:00Z"), null, 7);

        String json = new String(Json.toBytes(change), StandardCharsets.UTF_8);

        assertTrue(json.contains("\"reason\":\"timeout\""), json);
        assertEquals(change, Json.fromBytes(json.getBytes(StandardCharsets.UTF_8), StateChange.class));
        assertEquals(Reason.DISCONNECTED, Json.fromBytes("\"disconnected\"".getBytes(StandardCharsets.UTF_8),
                Reason.class));
    }

    @Test
    void anUnknownReasonIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> Reason.fromWire("bored"));
    }
}
