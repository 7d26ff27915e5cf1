package io.llmlb.health.processor.config;

import io.llmlb.health.wire.ConfigException;
import io.llmlb.health.wire.EnvReader;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Locale;

/**
 * How fast a dead or frozen state-processor's partitions move to a live one. While a partition
 * has no owner nobody judges its nodes, so every second here is detection lag.
 *
 * @param sessionTimeout {@code LLMLB_SESSION_TIMEOUT} seconds (1–300, default 10): silence after
 *        which the group coordinator declares an instance dead. The broker refuses values below
 *        its {@code group.min.session.timeout.ms} (6 s by default; the compose brokers allow 2 s)
 * @param instanceId the static group member id ({@code group.instance.id}), or null for dynamic
 *        membership. {@code LLMLB_STATIC_MEMBERSHIP=true} takes it from the host name, which a
 *        container keeps across restarts: a restarted instance gets its own partitions back
 *        without a rebalance. Off by default because two processes on one host would share it
 * @param transactionTimeout {@code LLMLB_TRANSACTION_TIMEOUT} seconds (2–60, default 10, Kafka
 *        Streams' own): how long a dead instance's open transaction keeps its partitions' committed
 *        offsets unreadable, at most. A live instance fences it as soon as the group drops the dead
 *        one ({@code AbandonedTransactionFencer}); this timeout is the broker's own bound when no
 *        instance can (a broker outage, every instance gone). Too short, and a live instance that
 *        stalls that long (a loaded host) is fenced: correct, but its tasks move
 */
public record FailoverSettings(Duration sessionTimeout, String instanceId, Duration transactionTimeout) {

    /** Dynamic membership, 10 s session timeout, Kafka Streams' 10 s transaction timeout. */
    public static final FailoverSettings DEFAULT =
            new FailoverSettings(Duration.ofSeconds(10), null, Duration.ofSeconds(10));

    public FailoverSettings {
        if (sessionTimeout.compareTo(Duration.ofSeconds(1)) < 0) {
            throw new IllegalArgumentException("session timeout must be at least 1 s");
        }
        if (transactionTimeout.compareTo(Duration.ofSeconds(1)) < 0) {
            throw new IllegalArgumentException("transaction timeout must be at least 1 s");
        }
        if (instanceId != null && instanceId.isBlank()) {
            throw new IllegalArgumentException("instance id must not be blank");
        }
    }

    static FailoverSettings fromEnv(EnvReader env) {
        Duration session = env.seconds("LLMLB_SESSION_TIMEOUT", 10, 1, 300);
        Duration transaction = env.seconds("LLMLB_TRANSACTION_TIMEOUT", 10, 2, 60);
        String staticMembership = env.string("LLMLB_STATIC_MEMBERSHIP", "false").toLowerCase(Locale.ROOT);
        return switch (staticMembership) {
            case "true" -> new FailoverSettings(session, "state-processor-" + hostName(env), transaction);
            case "false" -> new FailoverSettings(session, null, transaction);
            default -> throw new ConfigException("LLMLB_STATIC_MEMBERSHIP=" + staticMembership
                    + " is not a boolean; allowed values true, false");
        };
    }

    /**
     * The consumer's heartbeat interval: a sixth of the session, so five lost heartbeats are
     * survived. The surviving instance learns of the rebalance that hands it a dead one's tasks
     * from a heartbeat's answer: at a third (1 s of a 3 s session) that wait averaged 0.5 s of
     * every failover's detection lag; a sixth halves it for one more small request a second.
     */
    public Duration heartbeatInterval() {
        return sessionTimeout.dividedBy(6);
    }

    private static String hostName(EnvReader env) {
        String fromEnv = env.optional("HOSTNAME");
        if (fromEnv != null) {
            return fromEnv;
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            throw new ConfigException("LLMLB_STATIC_MEMBERSHIP=true needs a host name, and none is known: " + e.getMessage());
        }
    }
}
