package io.llmlb.health.processor.topology;

import io.llmlb.health.kafka.JsonSerde;
import io.llmlb.health.wire.NodeState;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * The node-state store's serde and the node-state sink's serializer in one: the processor writes
 * each new state to the store and then forwards the same object to the sink, and through two
 * separate JSON serdes it was encoded twice per heartbeat. This one remembers, per thread, the last
 * state it encoded and its bytes, so the sink gets the store's bytes. Identity, not equality,
 * decides: states are immutable records, so the same object always has the same bytes, and
 * neither RocksDB nor the producer changes an array it is given.
 */
final class NodeStateSerde implements Serde<NodeState>, Serializer<NodeState> {

    private static final JsonSerde<NodeState> JSON = JsonSerde.of(NodeState.class);

    /** The last state encoded on this thread and its bytes (stream threads share the topology's serdes). */
    private final ThreadLocal<Encoded> last = new ThreadLocal<>();

    private record Encoded(NodeState state, byte[] bytes) {
    }

    @Override
    public byte[] serialize(String topic, NodeState state) {
        Encoded encoded = last.get();
        if (encoded != null && encoded.state() == state) {
            return encoded.bytes();
        }
        byte[] bytes = JSON.serialize(topic, state);
        last.set(state == null ? null : new Encoded(state, bytes));
        return bytes;
    }

    @Override
    public void configure(java.util.Map<String, ?> configs, boolean isKey) {
        // Nothing to configure: the JSON mapping is fixed.
    }

    @Override
    public void close() {
        // Holds no resources.
    }

    @Override
    public Serializer<NodeState> serializer() {
        return this;
    }

    @Override
    public Deserializer<NodeState> deserializer() {
        return JSON;
    }
}
