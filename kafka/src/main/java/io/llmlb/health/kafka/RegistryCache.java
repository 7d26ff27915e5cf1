package io.llmlb.health.kafka;

import io.llmlb.health.wire.Registration;
import io.llmlb.health.wire.RegistryRecords;
import io.llmlb.health.wire.RegistryView;
import io.llmlb.health.wire.RejectedRecordLog;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Logger;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * An in-memory copy of the compacted {@code node-registry} topic, kept current by a
 * {@link TopicFollower}. Ingest checks node tokens against it; the query API checks registrations
 * against it. Records that cannot be trusted ({@link RegistryRecords}) are ignored and logged once.
 * Writers wait for their own record with {@link #awaitApplied(int, long, Duration)},
 * so a caller reads its own writes.
 */
public final class RegistryCache implements RegistryView, AutoCloseable {

    private static final RejectedRecordLog REJECTED =
            new RejectedRecordLog(Logger.getLogger(RegistryCache.class.getName()), "registry cache");

    private final Map<String, Registration> byNodeId = new ConcurrentHashMap<>();
    private final Map<String, String> nodeIdByTokenHash = new ConcurrentHashMap<>();
    private TopicFollower follower;

    private RegistryCache() {
    }

    /** Starts following the registry topic of {@code settings}; the topic must exist. */
    public static RegistryCache start(KafkaSettings settings, String clientId) {
        RegistryCache cache = new RegistryCache();
        cache.follower = TopicFollower.start(settings, settings.topics().nodeRegistry(), clientId, cache::apply);
        return cache;
    }

    private void apply(ConsumerRecord<String, byte[]> record) {
        Registration registration;
        switch (RegistryRecords.read(record.key(), record.value())) {
            case RegistryRecords.Valid valid -> registration = valid.registration();
            case RegistryRecords.Deleted deleted -> registration = null;
            case RegistryRecords.Rejected rejected -> {
                // Untrusted: neither a node nor a deletion; an earlier valid entry stays.
                REJECTED.rejected(record.topic(), record.partition(), record.offset(), record.key(), rejected.reason());
                return;
            }
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

    @Override
    public Collection<Registration> all() {
        return List.copyOf(byNodeId.values());
    }

    /** Whether everything in the topic at start has been read. */
    public boolean isCaughtUp() {
        return follower.isCaughtUp();
    }

    /** Waits until the topic's content at start has been read; false on timeout. */
    public boolean awaitCaughtUp(Duration timeout) throws InterruptedException {
        return follower.awaitCaughtUp(timeout);
    }

    /** Waits until the record at {@code offset} of {@code partition} is applied; false on timeout. */
    public boolean awaitApplied(int partition, long offset, Duration timeout) throws InterruptedException {
        return follower.awaitHandled(partition, offset, timeout);
    }

    @Override
    public void awaitFresh(Duration timeout) throws InterruptedException {
        follower.awaitEndAtCall(timeout);
    }

    /** Whether the registry is still being followed. */
    public boolean isRunning() {
        return follower.isRunning();
    }

    @Override
    public void close() {
        follower.close();
    }
}
