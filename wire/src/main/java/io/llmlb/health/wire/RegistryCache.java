package io.llmlb.health.wire;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * An in-memory copy of the compacted {@code node-registry} topic, kept current by a consumer
 * thread that reads it from the beginning. Ingest checks node tokens against it; the query API
 * checks registrations against it. Writers wait for their own record with
 * {@link #awaitApplied(int, long, Duration)}, so a caller reads its own writes.
 */
public final class RegistryCache implements RegistryView, AutoCloseable {

    private static final Logger LOG = Logger.getLogger(RegistryCache.class.getName());
    private static final JsonSerde<Registration> SERDE = JsonSerde.of(Registration.class);

    private final Map<String, Registration> byNodeId = new ConcurrentHashMap<>();
    private final Map<String, String> nodeIdByTokenHash = new ConcurrentHashMap<>();
    private final Map<Integer, Long> nextOffsetByPartition = new HashMap<>();
    private final Map<Integer, Long> endOffsetsAtStart = new HashMap<>();
    private final KafkaConsumer<String, byte[]> consumer;
    private final String topic;
    private final Thread poller;
    private volatile boolean caughtUp;

    private RegistryCache(KafkaSettings settings, String clientId) {
        this.topic = settings.topics().nodeRegistry();
        Map<String, Object> props = settings.clientProperties(clientId);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        this.consumer = new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer());
        this.poller = Thread.ofPlatform().name("registry-cache-" + clientId).daemon().unstarted(this::pollLoop);
    }

    /** Starts tailing the registry topic of {@code settings}; the topic must exist. */
    public static RegistryCache start(KafkaSettings settings, String clientId) {
        RegistryCache cache = new RegistryCache(settings, clientId);
        cache.assignAll();
        cache.poller.start();
        return cache;
    }

    private void assignAll() {
        List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                .map(info -> new TopicPartition(topic, info.partition()))
                .toList();
        if (partitions.isEmpty()) {
            throw new IllegalStateException("topic " + topic + " does not exist");
        }
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        consumer.endOffsets(partitions).forEach((tp, end) -> endOffsetsAtStart.put(tp.partition(), end));
        updateCaughtUp();
    }

    private void pollLoop() {
        try {
            while (true) {
                var records = consumer.poll(Duration.ofMillis(200));
                for (ConsumerRecord<String, byte[]> record : records) {
                    applyRecord(record);
                }
                synchronized (this) {
                    for (TopicPartition tp : consumer.assignment()) {
                        nextOffsetByPartition.put(tp.partition(), consumer.position(tp));
                    }
                    updateCaughtUp();
                    notifyAll();
                }
            }
        } catch (WakeupException e) {
            // close() asked us to stop.
        } catch (RuntimeException e) {
            LOG.log(Level.SEVERE, "registry cache stopped reading " + topic, e);
        } finally {
            consumer.close(Duration.ofSeconds(5));
        }
    }

    private void applyRecord(ConsumerRecord<String, byte[]> record) {
        Registration registration;
        try {
            registration = SERDE.deserialize(topic, record.value());
        } catch (RuntimeException e) {
            LOG.warning("skipping unreadable registry record " + record.partition() + "/" + record.offset()
                    + ": " + e.getMessage());
            return;
        }
        Registration previous = registration == null
                ? byNodeId.remove(record.key())
                : byNodeId.put(registration.nodeId(), registration);
        if (previous != null) {
            nodeIdByTokenHash.remove(previous.tokenSha256(), previous.nodeId());
        }
        if (registration != null) {
            nodeIdByTokenHash.put(registration.tokenSha256(), registration.nodeId());
        }
    }

    private void updateCaughtUp() {
        if (!caughtUp) {
            caughtUp = endOffsetsAtStart.entrySet().stream()
                    .allMatch(e -> nextOffsetByPartition.getOrDefault(e.getKey(), 0L) >= e.getValue() || e.getValue() == 0L);
        }
    }

    @Override
    public Optional<Registration> byNodeId(String nodeId) {
        return Optional.ofNullable(byNodeId.get(nodeId));
    }

    @Override
    public Optional<Registration> byTokenHash(String tokenSha256) {
        return Optional.ofNullable(nodeIdByTokenHash.get(tokenSha256)).map(byNodeId::get);
    }

    @Override
    public int size() {
        return byNodeId.size();
    }

    /** Whether everything in the topic at start has been read. */
    public boolean isCaughtUp() {
        return caughtUp;
    }

    /** Waits until the topic's content at start has been read; false on timeout. */
    public synchronized boolean awaitCaughtUp(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!caughtUp && poller.isAlive()) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            wait(Math.max(1, left / 1_000_000));
        }
        return caughtUp;
    }

    /** Waits until the record at {@code offset} of {@code partition} is applied; false on timeout. */
    public synchronized boolean awaitApplied(int partition, long offset, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (nextOffsetByPartition.getOrDefault(partition, 0L) <= offset && poller.isAlive()) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            wait(Math.max(1, left / 1_000_000));
        }
        return nextOffsetByPartition.getOrDefault(partition, 0L) > offset;
    }

    /** Whether the consumer thread is still running. */
    public boolean isRunning() {
        return poller.isAlive();
    }

    @Override
    public void close() {
        consumer.wakeup();
        try {
            poller.join(Duration.ofSeconds(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
