package io.llmlb.health.processor.topology;

import io.llmlb.health.wire.Heartbeat;
import io.llmlb.health.wire.InputTick;
import io.llmlb.health.wire.Json;
import io.llmlb.health.wire.NodeEvent;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Reads the heartbeats topic, which carries heartbeats and ingest's {@link InputTick}s; the
 * header tells them apart, so a heartbeat is parsed once, as before.
 */
final class HeartbeatTopicDeserializer implements Deserializer<NodeEvent> {

    private static final byte[] TICK = InputTick.HEADER_VALUE.getBytes(StandardCharsets.UTF_8);

    @Override
    public NodeEvent deserialize(String topic, byte[] data) {
        return data == null ? null : Json.fromBytes(data, Heartbeat.class);
    }

    @Override
    public NodeEvent deserialize(String topic, Headers headers, byte[] data) {
        if (data == null) {
            return null;
        }
        Header kind = headers == null ? null : headers.lastHeader(InputTick.HEADER);
        return kind != null && java.util.Arrays.equals(TICK, kind.value())
                ? Json.fromBytes(data, InputTick.class)
                : Json.fromBytes(data, Heartbeat.class);
    }
}
