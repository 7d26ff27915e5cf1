package io.llmlb.health.chaos;

import io.llmlb.health.kafka.JsonSerde;
import io.llmlb.health.wire.NodeStatus;
import io.llmlb.health.wire.StateChange;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Follows {@code llmlb.node-state-changes} through the brokers' loopback listeners, as any
 * downstream consumer would (read_committed): which of the fleet's nodes are online, every
 * timeout verdict, and every gap or repeat in a node's {@code seq}.
 */
final class ChangeFollower implements AutoCloseable {

    /** A timeout verdict as published. */
    record Verdict(String nodeId, long atMillis, long lastSeenMillis) {
    }

    /** A seq that was not the previous one plus one. */
    record SeqAnomaly(String nodeId, long atMillis, long expected, long seen) {
    }

    private final String topic;
    private final String nodePrefix;
    private final KafkaConsumer<String, StateChange> consumer;
    private final Map<String, Long> lastSeq = new HashMap<>();
    private final Map<String, NodeStatus> states = new HashMap<>();
    private final List<Verdict> verdicts = new ArrayList<>();
    private final List<SeqAnomaly> anomalies = new ArrayList<>();
    private final Thread reader;
    private volatile boolean running = true;

    ChangeFollower(String bootstrap, String topic, String nodePrefix) {
        this.topic = topic;
        this.nodePrefix = nodePrefix;
        this.consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.GROUP_ID_CONFIG, "llmlb-chaos-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false),
                new StringDeserializer(), JsonSerde.of(StateChange.class));
        this.reader = Thread.ofPlatform().daemon().name("chaos-change-follower").unstarted(this::follow);
    }

    void start() {
        consumer.subscribe(List.of(topic));
        reader.start();
    }

    private void follow() {
        while (running) {
            try {
                for (ConsumerRecord<String, StateChange> record : consumer.poll(Duration.ofMillis(200))) {
                    if (record.key() != null && record.key().startsWith(nodePrefix) && record.value() != null) {
                        apply(record.value());
                    }
                }
            } catch (org.apache.kafka.common.errors.WakeupException e) {
                return;
            } catch (RuntimeException e) {
                // Brokers come and go during the run; the consumer reconnects by itself.
            }
        }
    }

    private synchronized void apply(StateChange change) {
        Long previous = lastSeq.get(change.nodeId());
        long expected = previous == null ? 1 : previous + 1;
        if (change.seq() != expected) {
            anomalies.add(new SeqAnomaly(change.nodeId(), System.currentTimeMillis(), expected, change.seq()));
        }
        lastSeq.merge(change.nodeId(), change.seq(), Math::max);
        states.put(change.nodeId(), change.to());
        if (StateChange.TIMEOUT.equals(change.reason())) {
            verdicts.add(new Verdict(change.nodeId(), change.at().toEpochMilli(),
                    change.lastSeen() == null ? 0 : change.lastSeen().toEpochMilli()));
        }
    }

    synchronized int online() {
        return (int) states.values().stream().filter(NodeStatus.ONLINE::equals).count();
    }

    synchronized boolean isOnline(String nodeId) {
        return states.get(nodeId) == NodeStatus.ONLINE;
    }

    synchronized List<Verdict> verdictsBetween(long fromMillis, long toMillis) {
        return verdicts.stream().filter(v -> v.atMillis() >= fromMillis && v.atMillis() < toMillis).toList();
    }

    synchronized List<SeqAnomaly> anomaliesBetween(long fromMillis, long toMillis) {
        return anomalies.stream().filter(a -> a.atMillis() >= fromMillis && a.atMillis() < toMillis).toList();
    }

    synchronized int totalVerdicts() {
        return verdicts.size();
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
