package io.llmlb.health.ingest.config;

import io.llmlb.health.http.server.ServerLimits;
import io.llmlb.health.ingest.limit.HeartbeatRateLimit;
import io.llmlb.health.kafka.KafkaSettings;
import io.llmlb.health.wire.EnvReader;
import io.llmlb.health.wire.InputPath;
import java.time.Duration;
import java.util.Map;

/**
 * Typed configuration of the ingest service.
 *
 * @param kafka broker and topics
 * @param host {@code LLMLB_HOST}, interface to listen on
 * @param port {@code LLMLB_PORT}, default 8080 (0: any free port)
 * @param rateLimit heartbeats allowed per node ({@code LLMLB_HEARTBEAT_RATE}, {@code LLMLB_HEARTBEAT_BURST})
 * @param serverLimits connection cap and timeouts of the HTTP listener
 * @param tickInterval how often this replica ticks every heartbeats partition: 1 s, or half of
 *        {@code LLMLB_HEALTH_CHECK_INTERVAL} (the state-processor's, read from the same variable)
 *        when that is shorter ({@link InputPath#tickInterval(Duration)})
 */
public record IngestConfig(KafkaSettings kafka, String host, int port, HeartbeatRateLimit rateLimit,
                           ServerLimits serverLimits, Duration tickInterval) {

    /** Reads the configuration from the environment. */
    public static IngestConfig fromEnv(Map<String, String> environment) {
        EnvReader env = new EnvReader(environment);
        return new IngestConfig(KafkaSettings.fromEnv(env), env.string("LLMLB_HOST", "0.0.0.0"),
                env.port("LLMLB_PORT", 8080), HeartbeatRateLimit.fromEnv(env), ServerLimits.fromEnv(environment),
                InputPath.tickInterval(InputPath.checkInterval(env)));
    }

    /** This configuration ticking for another check interval (the standalone's tests and bench set timings directly). */
    public IngestConfig withCheckInterval(Duration checkInterval) {
        return new IngestConfig(kafka, host, port, rateLimit, serverLimits, InputPath.tickInterval(checkInterval));
    }

    /** A one-line description for the start-up log, Kafka secrets masked. */
    public String describe() {
        return "ingest: " + kafka.describe() + " listen="
                + host + ":" + port + " " + rateLimit.describe() + " tick-interval=" + tickInterval.toMillis() + "ms";
    }
}
