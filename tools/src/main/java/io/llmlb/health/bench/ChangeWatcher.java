package io.llmlb.health.bench;

import io.llmlb.health.kafka.JsonSerde;
import io.llmlb.health.kafka.KafkaClientConfig;
import io.llmlb.health.wire.DetectorEvent;
import io.llmlb.health.wire.NodeStatus;
import io.llmlb.health.wire.Reason;
import io.llmlb.health.wire.StateChange;
import io.llmlb.health.wire.Topics;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntPredicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Reads {@code node-state-changes} (and {@code detector-events}, to count holds) as any downstream
 * consumer would (read_committed), and turns
 * every timeout into a detection lag: {@code at - (last_seen + timeout)}, the server's own figures,
 * plus the lag until this consumer saw it. Lags of the nodes the current scenario silenced are
 * collected; a timeout of any other node is a false alarm and is counted.
 */
final class ChangeWatcher implements AutoCloseable {

    /** The nodes one scenario silenced and what was seen of them. */
    static final class Scenario {
        final IntPredicate silenced;
        final int expected;
        final LongList decidedMillis = new LongList();
        final LongList visibleMillis = new LongList();
        final AtomicInteger falseTimeouts = new AtomicInteger();

        Scenario(IntPredicate silenced, int expected) {
            this.silenced = silenced;
            this.expected = expected;
        }

        synchronized int detected() {
            return decidedMillis.size();
        }
    }

    private static final JsonSerde<StateChange> CHANGES = JsonSerde.of(StateChange.class);
    private static final JsonSerde<DetectorEvent> DETECTOR = JsonSerde.of(DetectorEvent.class);

    private final KafkaConsumer<String, byte[]> consumer;
    private final String detectorTopic;
    private final Duration nodeTimeout;
    private final Thread poller;
    private final AtomicLong approvals = new AtomicLong();
    private final AtomicLong backOnline = new AtomicLong();
    private final AtomicLong detectorEvents = new AtomicLong();
    private volatile Scenario scenario;

    ChangeWatcher(String bootstrap, KafkaClientConfig client, Topics topics, Duration nodeTimeout) {
        this.nodeTimeout = nodeTimeout;
        Map<String, Object> props = new HashMap<>();
        client.applyTo(props);
        props.putAll(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5_000));
        this.consumer = new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer());
        this.detectorTopic = topics.detectorEvents();
        // Assigned, not subscribed: no consumer group to join, so it reads from the first second.
        List<TopicPartition> partitions = java.util.stream.Stream.of(topics.nodeStateChanges(), detectorTopic)
                .flatMap(topic -> consumer.partitionsFor(topic, Duration.ofSeconds(60)).stream())
                .map(info -> new TopicPartition(info.topic(), info.partition())).toList();
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        this.poller = Thread.ofPlatform().daemon().name("bench-change-watcher").start(this::poll);
    }

    private void poll() {
        try {
            while (true) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(100))) {
                    if (record.topic().equals(detectorTopic)) {
                        countHold(DETECTOR.deserialize(record.topic(), record.value()));
                    } else {
                        apply(CHANGES.deserialize(record.topic(), record.value()), Instant.now());
                    }
                }
            }
        } catch (WakeupException closing) {
            // close() asked us to stop
        } finally {
            consumer.close(Duration.ofSeconds(5));
        }
    }

    /** Counts the times a detector task started or stopped holding its verdicts (not its "judging" after start). */
    private void countHold(DetectorEvent event) {
        if (event != null && (event.holding() || event.since() != null)) {
            detectorEvents.incrementAndGet();
        }
    }

    private void apply(StateChange change, Instant seenAt) {
        if (change == null || change.nodeId() == null) {
            return;
        }
        if (change.reason() != null && change.reason().keepsState()) {
            // Maintenance or flapping marked: the node's state did not change.
            return;
        }
        int index = Fleet.indexOf(change.nodeId());
        if (change.to() == NodeStatus.ONLINE) {
            (Reason.APPROVED.equals(change.reason()) ? approvals : backOnline).incrementAndGet();
            return;
        }
        if (!Reason.TIMEOUT.equals(change.reason()) || change.lastSeen() == null) {
            return;
        }
        Scenario current = scenario;
        if (current == null) {
            return;
        }
        Instant deadline = change.lastSeen().plus(nodeTimeout);
        if (index >= 0 && current.silenced.test(index)) {
            synchronized (current) {
                current.decidedMillis.add(Duration.between(deadline, change.at()).toMillis());
                current.visibleMillis.add(Duration.between(deadline, seenAt).toMillis());
            }
        } else {
            current.falseTimeouts.incrementAndGet();
        }
    }

    /** Approved registrations seen: the fleet the detector knows. */
    long approvals() {
        return approvals.get();
    }

    /** Nodes that came back online by a heartbeat. */
    long backOnline() {
        return backOnline.get();
    }

    /** Detector suspensions and resumptions seen (the mass-silence guard). */
    long detectorEvents() {
        return detectorEvents.get();
    }

    /** From now on, collects the lags of the nodes {@code silenced} selects. */
    Scenario begin(IntPredicate silenced, int expected) {
        Scenario next = new Scenario(silenced, expected);
        scenario = next;
        return next;
    }

    @Override
    public void close() throws InterruptedException {
        consumer.wakeup();
        poller.join(10_000);
    }
}
