package io.llmlb.health.standalone;

import io.llmlb.health.kafka.JsonSerde;
import io.llmlb.health.wire.StateChange;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;

/** A plain KafkaConsumer on {@code node-state-changes}, as any downstream consumer would use it. */
final class StateChangeReader implements AutoCloseable {

    private final KafkaConsumer<String, StateChange> consumer;
    private final List<StateChange> seen = new ArrayList<>();

    StateChangeReader(String bootstrap, String topic) {
        this.consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.GROUP_ID_CONFIG, "test-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"),
                new StringDeserializer(), JsonSerde.of(StateChange.class));
        consumer.subscribe(List.of(topic));
    }

    /** Every change seen so far for {@code nodeId}, after polling once more. */
    List<StateChange> changesOf(String nodeId) {
        consumer.poll(Duration.ofMillis(200)).forEach(record -> seen.add(record.value()));
        return seen.stream().filter(change -> change.nodeId().equals(nodeId)).toList();
    }

    @Override
    public void close() {
        consumer.close();
    }
}
