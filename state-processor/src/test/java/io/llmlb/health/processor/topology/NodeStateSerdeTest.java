package io.llmlb.health.processor.topology;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.llmlb.health.kafka.JsonSerde;
import io.llmlb.health.wire.NodeState;
import io.llmlb.health.wire.NodeStatus;
import io.llmlb.health.wire.NodeSupervision;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NodeStateSerdeTest {

    private static final Instant AT = Instant.parse("2025-01-01T12:00:00Z");

    private final NodeStateSerde serde = new NodeStateSerde();

    @Test
    void theSinkGetsTheBytesTheStoreJustGotForTheSameState() {
        NodeState state = state(1);

        byte[] forStore = serde.serialize("store-changelog", state);
        byte[] forSink = serde.serializer().serialize("llmlb.node-state", state);

        assertSame(forStore, forSink, "encoded once");
        assertArrayEquals(JsonSerde.of(NodeState.class).serialize("t", state), forStore, "the same JSON as before");
    }

    @Test
    void supervisionRoundTripsAndIsLeftOutWhenNoneIsSet() {
        NodeState plain = state(1);
        NodeState supervised = plain.withSupervision(new NodeSupervision(true, 120, 45, true, true, 5, AT, AT));
        JsonSerde<NodeState> json = JsonSerde.of(NodeState.class);

        String plainJson = new String(json.serialize("t", plain), StandardCharsets.UTF_8);
        assertFalse(plainJson.contains("supervision"), plainJson);
        assertEquals(plain, json.deserialize("t", json.serialize("t", plain)));
        assertEquals(supervised, json.deserialize("t", json.serialize("t", supervised)));
    }

    @Test
    void anotherStateIsEncodedAfreshEvenWhenEqual() {
        byte[] first = serde.serialize("t", state(1));
        byte[] equalButNew = serde.serialize("t", state(1));
        byte[] next = serde.serialize("t", state(2));

        assertNotSame(first, equalButNew);
        assertArrayEquals(first, equalButNew);
        assertEquals(state(2), serde.deserializer().deserialize("t", next));
        assertNull(serde.serialize("t", null), "a tombstone stays a tombstone");
    }

    private static NodeState state(long heartbeats) {
        return new NodeState("node-1", NodeStatus.ONLINE, true, null, Map.of(), AT, AT, AT, AT.plusSeconds(60),
                heartbeats, 0, 1, AT, null);
    }
}
