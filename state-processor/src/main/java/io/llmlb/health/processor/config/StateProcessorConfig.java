package io.llmlb.health.processor.config;

import io.llmlb.health.kafka.KafkaSettings;
import io.llmlb.health.wire.EnvReader;
import io.llmlb.health.wire.InputPath;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * Typed configuration of the state-processor.
 *
 * @param kafka broker and topics
 * @param nodeTimeout {@code LLMLB_NODE_TIMEOUT}: silence after which an online node is offline
 * @param checkInterval {@code LLMLB_HEALTH_CHECK_INTERVAL}: how often the punctuator looks for expired
 *        nodes, seconds with up to 3 decimals, 0.1..60 ({@link InputPath#checkInterval(EnvReader)})
 * @param commitInterval how often Kafka Streams commits; bounds how soon a change is visible
 *        downstream ({@link #commitIntervalFor(Duration)})
 * @param stateDir where Kafka Streams keeps its local stores ({@code LLMLB_DATA_DIR}/streams)
 * @param applicationId the Kafka Streams application id, derived from the topic prefix
 * @param suspension when the detector holds its verdicts because the silence looks like its own failure
 * @param standbyReplicas {@code LLMLB_STANDBY_REPLICAS}: warm copies of each store kept by other
 *        instances, so a failover resumes without restoring from the changelog (0..8, default 0)
 * @param failover how fast a dead instance's partitions move (session timeout, static membership)
 * @param flapping when a node counts as flapping ({@code LLMLB_FLAP_THRESHOLD}, {@code LLMLB_FLAP_WINDOW})
 */
public record StateProcessorConfig(KafkaSettings kafka,
                                   Duration nodeTimeout,
                                   Duration checkInterval,
                                   Duration commitInterval,
                                   Path stateDir,
                                   String applicationId,
                                   SuspensionSettings suspension,
                                   int standbyReplicas,
                                   FailoverSettings failover,
                                   FlapSettings flapping,
                                   int streamThreads) {

    /** A configuration with the default flap settings and one stream thread. */
    public StateProcessorConfig(KafkaSettings kafka, Duration nodeTimeout, Duration checkInterval,
                                Duration commitInterval, Path stateDir, String applicationId,
                                SuspensionSettings suspension, int standbyReplicas, FailoverSettings failover) {
        this(kafka, nodeTimeout, checkInterval, commitInterval, stateDir, applicationId, suspension, standbyReplicas,
                failover, FlapSettings.DEFAULT, 1);
    }

    public StateProcessorConfig {
        if (nodeTimeout.isNegative() || nodeTimeout.isZero() || checkInterval.isNegative() || checkInterval.isZero()) {
            throw new IllegalArgumentException("timeout and check interval must be positive");
        }
    }

    /** The exactly-once commit interval at check intervals of 200 ms and more. */
    static final Duration COMMIT_INTERVAL = Duration.ofMillis(100);

    /** Reads the configuration from the environment, with the seed's limits (the check interval may go below them). */
    public static StateProcessorConfig fromEnv(Map<String, String> environment) {
        EnvReader env = new EnvReader(environment);
        KafkaSettings kafka = KafkaSettings.fromEnv(env);
        Duration checkInterval = InputPath.checkInterval(env);
        return new StateProcessorConfig(kafka,
                env.seconds("LLMLB_NODE_TIMEOUT", 60, 30, 300),
                checkInterval,
                commitIntervalFor(checkInterval),
                Path.of(env.string("LLMLB_DATA_DIR", "data")).resolve("streams"),
                defaultApplicationId(kafka),
                SuspensionSettings.fromEnv(env),
                env.intInRange("LLMLB_STANDBY_REPLICAS", 0, 0, 8),
                FailoverSettings.fromEnv(env),
                FlapSettings.fromEnv(env),
                // Tasks (partitions) are swept one after another on a thread: a second thread
                // judges a mass expiry on two at once, where there is a core for it.
                env.intInRange("LLMLB_STREAM_THREADS", 1, 1, 16));
    }

    /** The application id for a topic prefix: one consumer group per fleet. */
    public static String defaultApplicationId(KafkaSettings kafka) {
        return kafka.topics().prefix() + "state-processor";
    }

    /**
     * How often to commit for a check interval: every 100 ms, or every half interval when that is
     * shorter. A verdict is visible to read_committed consumers only after the commit that follows
     * it, so the commit must come well within one interval; each commit is a transaction, so no
     * more often than that.
     */
    public static Duration commitIntervalFor(Duration checkInterval) {
        Duration half = checkInterval.dividedBy(2);
        return half.compareTo(COMMIT_INTERVAL) < 0 ? half : COMMIT_INTERVAL;
    }

    /** This configuration with other detection timings (tests use seconds, not minutes); the commit interval follows. */
    public StateProcessorConfig withTimings(Duration otherTimeout, Duration otherInterval) {
        return new StateProcessorConfig(kafka, otherTimeout, otherInterval, commitIntervalFor(otherInterval), stateDir,
                applicationId, suspension, standbyReplicas, failover, flapping, streamThreads);
    }

    /** This configuration with other flap settings (tests use a window of seconds). */
    public StateProcessorConfig withFlapping(FlapSettings otherFlapping) {
        return new StateProcessorConfig(kafka, nodeTimeout, checkInterval, commitInterval, stateDir, applicationId,
                suspension, standbyReplicas, failover, otherFlapping, streamThreads);
    }

    /** A one-line description for the start-up log, Kafka secrets masked. */
    public String describe() {
        return "state-processor: " + kafka.describe()
                + " timeout=" + nodeTimeout.toSeconds() + "s check-interval=" + checkInterval.toMillis() + "ms"
                + " state-dir=" + stateDir + " suspend-threshold=" + Math.round(suspension.threshold() * 100) + "%"
                + " suspend-min-fleet=" + suspension.minFleet() + " suspend-max-hold=" + suspension.maxHold().toSeconds() + "s"
                + " standby-replicas=" + standbyReplicas + " stream-threads=" + streamThreads
                + " session-timeout=" + failover.sessionTimeout().toSeconds() + "s"
                + " static-member=" + (failover.instanceId() == null ? "off" : failover.instanceId())
                + " transaction-timeout=" + failover.transactionTimeout().toSeconds() + "s"
                + " flap-threshold=" + flapping.threshold() + " flap-window=" + flapping.window().toSeconds() + "s";
    }
}
