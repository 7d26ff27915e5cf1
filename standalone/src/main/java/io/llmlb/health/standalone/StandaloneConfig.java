package io.llmlb.health.standalone;

import io.llmlb.health.http.server.ServerLimits;
import io.llmlb.health.ingest.config.IngestConfig;
import io.llmlb.health.processor.config.StateProcessorConfig;
import io.llmlb.health.query.config.QueryApiConfig;
import io.llmlb.health.query.metrics.NodeStateCollector;
import io.llmlb.health.wire.EnvReader;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * Configuration of the one-process default: the embedded broker (unless
 * {@code LLMLB_KAFKA_BOOTSTRAP} names an external one) and the three services on one port.
 *
 * @param host {@code LLMLB_HOST}
 * @param port {@code LLMLB_PORT}, default 8080; the seed's URLs use it
 * @param kafkaPort {@code LLMLB_KAFKA_PORT}, default 9092, for the embedded broker
 * @param dataDir {@code LLMLB_DATA_DIR}, default ./data
 * @param externalKafka whether {@code LLMLB_KAFKA_BOOTSTRAP} was set (then no broker is started)
 * @param ingest ingest's configuration
 * @param processor the state-processor's configuration
 * @param queryApi the query API's configuration
 * @param perNodeMetrics {@code LLMLB_PER_NODE_METRICS}: whether /metrics has per-node series
 * @param serverLimits connection cap and timeouts of the HTTP listener
 */
public record StandaloneConfig(String host,
                               int port,
                               int kafkaPort,
                               Path dataDir,
                               boolean externalKafka,
                               IngestConfig ingest,
                               StateProcessorConfig processor,
                               QueryApiConfig queryApi,
                               boolean perNodeMetrics,
                               ServerLimits serverLimits) {

    /** Reads everything from the environment; the embedded broker's address is filled in for the services. */
    public static StandaloneConfig fromEnv(Map<String, String> environment) {
        EnvReader env = new EnvReader(environment);
        int kafkaPort = env.port("LLMLB_KAFKA_PORT", 9092);
        boolean external = env.optional("LLMLB_KAFKA_BOOTSTRAP") != null;
        Map<String, String> services = new HashMap<>(environment);
        if (!external) {
            services.put("LLMLB_KAFKA_BOOTSTRAP", "127.0.0.1:" + kafkaPort);
        }
        return new StandaloneConfig(env.string("LLMLB_HOST", "0.0.0.0"), env.port("LLMLB_PORT", 8080), kafkaPort,
                Path.of(env.string("LLMLB_DATA_DIR", "data")), external,
                IngestConfig.fromEnv(services), StateProcessorConfig.fromEnv(services), QueryApiConfig.fromEnv(services),
                NodeStateCollector.perNodeFromEnv(env), ServerLimits.fromEnv(env));
    }

    /** This configuration with other detection timings (tests use seconds, not minutes). */
    public StandaloneConfig withTimings(Duration nodeTimeout, Duration checkInterval) {
        return new StandaloneConfig(host, port, kafkaPort, dataDir, externalKafka, ingest,
                processor.withTimings(nodeTimeout, checkInterval), queryApi, perNodeMetrics, serverLimits);
    }
}
