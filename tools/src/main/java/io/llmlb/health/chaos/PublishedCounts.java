package io.llmlb.health.chaos;

import io.llmlb.health.kafka.JsonSerde;
import io.llmlb.health.wire.NodeState;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Every fleet node's heartbeat count as the state-processor committed it to {@code llmlb.node-state}
 * (read_committed, through the brokers' loopback listeners). This is the count the pipeline owns;
 * what a query-api replica serves is compared with it separately, so that a replica that fell
 * behind is not mistaken for a heartbeat the pipeline lost.
 */
final class PublishedCounts implements AutoCloseable {

    private final String nodePrefix;
    private final KafkaConsumer<String, NodeState> consumer;
    private final Map<String, Long> heartbeats = new HashMap<>();
    private final Thread reader;
    private volatile boolean running = true;

    PublishedCounts(String bootstrap, String topic, String nodePrefix) {
        this.nodePrefix = nodePrefix;
        this.consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.GROUP_ID_CONFIG, "llmlb-chaos-counts-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false),
                new StringDeserializer(), JsonSerde.of(NodeState.class));
        consumer.subscribe(List.of(topic));
        this.reader = Thread.ofPlatform().daemon().name("chaos-published-counts").start(this::follow);
    }

    private void follow() {
        while (running) {
            try {
                for (ConsumerRecord<String, NodeState> record : consumer.poll(Duration.ofMillis(200))) {
                    if (record.key() != null && record.key().startsWith(nodePrefix) && record.value() != null) {
                        record(record.key(), record.value().heartbeats());
                    }
                }
            } catch (org.apache.kafka.common.errors.WakeupException e) {
                return;
            } catch (RuntimeException e) {
                // Brokers come and go during the run and the consumer reconnects by itself; said
                // anyway, because a record that cannot be read would stall this partition's counts.
                System.err.println("chaos: reading llmlb.node-state: " + e);
            }
        }
    }

    private synchronized void record(String nodeId, long count) {
        heartbeats.merge(nodeId, count, Math::max);
    }

    /** A copy of the latest committed count of every fleet node seen so far. */
    synchronized Map<String, Long> snapshot() {
        return new HashMap<>(heartbeats);
    }

    @Override
    public void close() {
        running = false;
        consumer.wakeup();
        try {
            reader.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        consumer.close(Duration.ofSeconds(2));
    }
}
