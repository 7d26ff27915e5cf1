package io.llmlb.health.kafka;

import io.llmlb.health.wire.Topics;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.logging.Logger;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.ClusterAuthorizationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * Creates the pipeline's topics when absent, and pins the cluster's transaction version when asked
 * ({@link TransactionVersionPin}); every service calls it at start, so order of start does not matter.
 */
public final class TopicBootstrap {

    private static final Logger LOG = Logger.getLogger(TopicBootstrap.class.getName());
    private static final Duration HEARTBEAT_RETENTION = Duration.ofHours(24);
    private static final Duration CHANGES_RETENTION = Duration.ofDays(7);

    private TopicBootstrap() {
    }

    /**
     * Creates the missing topics of {@code settings}, waiting at most {@code timeout} for the broker.
     *
     * @throws IllegalStateException when the broker cannot be reached in time
     */
    public static void ensureTopics(KafkaSettings settings, Duration timeout) {
        try (Admin admin = Admin.create(settings.clientProperties("llmlb-topic-bootstrap"))) {
            Set<String> existing = admin.listTopics().names().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            TransactionVersionPin.apply(admin, settings.transactionVersion(), timeout);
            List<NewTopic> missing = settings.topics().all().stream()
                    .filter(name -> !existing.contains(name))
                    .map(name -> newTopic(settings, name))
                    .toList();
            if (missing.isEmpty()) {
                return;
            }
            for (var entry : admin.createTopics(missing).values().entrySet()) {
                try {
                    entry.getValue().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
                    LOG.info("created topic " + entry.getKey());
                } catch (ExecutionException e) {
                    if (e.getCause() instanceof TopicAuthorizationException
                            || e.getCause() instanceof ClusterAuthorizationException) {
                        // Least privilege: a service's principal may not create topics (it may not even
                        // see those it does not use). The operator creates them: ./llmlb-health acls --apply.
                        LOG.info("topic " + entry.getKey() + " not visible to this principal and not created by it"
                                + " (created by ./llmlb-health acls --apply on a secured cluster)");
                    } else if (!(e.getCause() instanceof TopicExistsException)) {
                        // TopicExists: another service started at the same moment and won the race: fine.
                        throw e;
                    }
                }
            }
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot create topics on Kafka at " + settings.bootstrapServers()
                    + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating topics", e);
        }
    }

    private static NewTopic newTopic(KafkaSettings settings, String name) {
        return new NewTopic(name, settings.partitions(), settings.replicationFactor()).configs(topicConfig(settings, name));
    }

    /** The configuration a topic is created with: compacted, or retained by time (and size, for heartbeats). */
    static Map<String, String> topicConfig(KafkaSettings settings, String name) {
        Topics topics = settings.topics();
        if (topics.isCompacted(name)) {
            return Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT);
        }
        if (name.equals(topics.heartbeats())) {
            // Time alone let one node token fill the disk within the 24 h; the size bounds it per partition.
            return Map.of(TopicConfig.RETENTION_MS_CONFIG, String.valueOf(HEARTBEAT_RETENTION.toMillis()),
                    TopicConfig.RETENTION_BYTES_CONFIG, String.valueOf(settings.heartbeatRetentionBytes()));
        }
        return Map.of(TopicConfig.RETENTION_MS_CONFIG, String.valueOf(CHANGES_RETENTION.toMillis()));
    }
}
