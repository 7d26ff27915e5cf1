package io.llmlb.health.chaos;

import io.llmlb.health.kafka.JsonSerde;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.BiConsumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Reads one topic from the start through the brokers' loopback listeners, as any downstream
 * consumer would (read_committed), and hands each record of the run's own fleet (keys starting
 * with its prefix) to {@code onRecord} on a reader thread of its own.
 */
final class FleetTopicReader<V> implements AutoCloseable {

    private final KafkaConsumer<String, V> consumer;
    private final String nodePrefix;
    private final BiConsumer<String, V> onRecord;
    private final Thread reader;
    private volatile boolean running = true;

    FleetTopicReader(String bootstrap, String topic, Class<V> type, String nodePrefix, String name,
                     BiConsumer<String, V> onRecord) {
        this.nodePrefix = nodePrefix;
        this.onRecord = onRecord;
        this.consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.CLIENT_ID_CONFIG, "llmlb-" + name + "-" + UUID.randomUUID(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false),
                new StringDeserializer(), JsonSerde.of(type));
        // Every partition assigned by hand, no consumer group: a group that lost its coordinator
        // (the whole-stack kill) rejoined with no committed offsets and read the topic again from
        // the start, which showed every node's changes as 771 seq "repeats" that were the reader's.
        List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                .map(info -> new TopicPartition(topic, info.partition()))
                .toList();
        if (partitions.isEmpty()) {
            // The stack's services create the topics at start; the tool reads them once it is up.
            throw new IllegalStateException("topic " + topic + " has no partitions: is the stack up?");
        }
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        this.reader = Thread.ofPlatform().daemon().name(name).start(this::follow);
    }

    private void follow() {
        while (running) {
            try {
                for (ConsumerRecord<String, V> record : consumer.poll(Duration.ofMillis(200))) {
                    if (record.key() != null && record.key().startsWith(nodePrefix) && record.value() != null) {
                        onRecord.accept(record.key(), record.value());
                    }
                }
            } catch (WakeupException e) {
                return;
            } catch (RuntimeException e) {
                // Brokers come and go during the run and the consumer reconnects by itself; said
                // anyway, because a record that cannot be read would stall its partition.
                System.err.println("chaos: reading " + consumer.assignment() + ": " + e);
            }
        }
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
