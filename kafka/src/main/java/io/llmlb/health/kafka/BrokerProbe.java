package io.llmlb.health.kafka;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;

/**
 * Answers "is a Kafka broker reachable right now, with the pipeline's topics?" for readiness
 * checks. Kafka clients retry silently for minutes, so a running Kafka Streams instance alone
 * does not prove it; one cheap cluster metadata request does. A broker that lost its data answers
 * but has no topics, and every write then fails: that is not ready either. Answers are cached
 * briefly so probes cannot load the broker.
 */
public final class BrokerProbe implements AutoCloseable {

    private static final Duration CACHE = Duration.ofSeconds(2);
    private static final Duration TIMEOUT = Duration.ofSeconds(2);

    private final Admin admin;
    private final List<String> topics;
    private long checkedAtNanos;
    private boolean reachable;

    /** A probe that needs every topic of the pipeline (the state-processor's and the standalone's view). */
    public BrokerProbe(KafkaSettings settings) {
        this(settings, settings.topics().all());
    }

    /**
     * A probe that needs {@code requiredTopics}: those the service uses. A service's principal may
     * see only those (least-privilege ACLs), so asking for more would keep it unready forever.
     */
    public BrokerProbe(KafkaSettings settings, List<String> requiredTopics) {
        Map<String, Object> props = settings.clientProperties("llmlb-broker-probe");
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) TIMEOUT.toMillis());
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) TIMEOUT.toMillis());
        this.admin = Admin.create(props);
        this.topics = List.copyOf(requiredTopics);
    }

    /**
     * Whether the cluster answered a metadata request within two seconds and has every required
     * topic (cached for two seconds).
     */
    public synchronized boolean isReachable() {
        long now = System.nanoTime();
        if (checkedAtNanos == 0 || now - checkedAtNanos > CACHE.toNanos()) {
            reachable = ask();
            checkedAtNanos = System.nanoTime();
        }
        return reachable;
    }

    private boolean ask() {
        try {
            return !admin.describeCluster().nodes().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).isEmpty()
                    && admin.listTopics().names().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).containsAll(topics);
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            return false;
        }
    }

    @Override
    public void close() {
        admin.close(Duration.ofSeconds(5));
    }
}
