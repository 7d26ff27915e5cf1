package io.llmlb.health.ingest.config;

import io.llmlb.health.ingest.limit.HeartbeatRateLimit;
import io.llmlb.health.kafka.KafkaSettings;
import io.llmlb.health.wire.EnvReader;
import java.util.Map;

/**
 * Typed configuration of the ingest service.
 *
 * @param kafka broker and topics
 * @param host {@code LLMLB_HOST}, interface to listen on
 * @param port {@code LLMLB_PORT}, default 8080 (0: any free port)
 * @param rateLimit heartbeats allowed per node ({@code LLMLB_HEARTBEAT_RATE}, {@code LLMLB_HEARTBEAT_BURST})
 */
public record IngestConfig(KafkaSettings kafka, String host, int port, HeartbeatRateLimit rateLimit) {

    /** Reads the configuration from the environment. */
    public static IngestConfig fromEnv(Map<String, String> environment) {
        EnvReader env = new EnvReader(environment);
        return new IngestConfig(KafkaSettings.fromEnv(env), env.string("LLMLB_HOST", "0.0.0.0"),
                env.port("LLMLB_PORT", 8080), HeartbeatRateLimit.fromEnv(env));
    }

    /** A one-line description for the start-up log, Kafka secrets masked. */
    public String describe() {
        return "ingest: " + kafka.describe() + " listen="
                + host + ":" + port + " " + rateLimit.describe();
    }
}
