package io.llmlb.health.standalone;

import io.llmlb.health.http.server.ServerLimits;
import io.llmlb.health.ingest.config.IngestConfig;
import io.llmlb.health.kafka.KafkaClientConfig;
import io.llmlb.health.processor.config.StateProcessorConfig;
import io.llmlb.health.query.config.QueryApiConfig;
import io.llmlb.health.wire.EnvReader;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Logger;

/**
 * Configuration of the one-process default: the embedded broker (unless
 * {@code LLMLB_KAFKA_BOOTSTRAP} or the client properties file names an external one) and the
 * three services on one port.
 *
 * <p>Against an external Kafka every service takes the client settings of
 * {@code LLMLB_KAFKA_CONFIG}; {@code LLMLB_INGEST_KAFKA_CONFIG}, {@code LLMLB_STATE_PROCESSOR_KAFKA_CONFIG}
 * and {@code LLMLB_QUERY_API_KAFKA_CONFIG} give one service its own file (its own principal), as
 * the separate containers have. The embedded broker is plaintext on loopback, so client settings
 * are ignored (with a warning) when it runs.
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

    private static final Logger LOG = Logger.getLogger(StandaloneConfig.class.getName());
    static final String INGEST_KAFKA_CONFIG = "LLMLB_INGEST_KAFKA_CONFIG";
    static final String STATE_PROCESSOR_KAFKA_CONFIG = "LLMLB_STATE_PROCESSOR_KAFKA_CONFIG";
    static final String QUERY_API_KAFKA_CONFIG = "LLMLB_QUERY_API_KAFKA_CONFIG";

    /** Reads everything from the environment; the embedded broker's address is filled in for the services. */
    public static StandaloneConfig fromEnv(Map<String, String> environment) {
        EnvReader env = new EnvReader(environment);
        int kafkaPort = env.port("LLMLB_KAFKA_PORT", 9092);
        boolean external = env.optional("LLMLB_KAFKA_BOOTSTRAP") != null
                || KafkaClientConfig.fromEnv(environment).bootstrapServers().isPresent();
        Map<String, String> services = new HashMap<>(environment);
        if (!external) {
            services.put("LLMLB_KAFKA_BOOTSTRAP", "127.0.0.1:" + kafkaPort);
            withoutClientSettings(services);
            // The embedded broker is ours: transaction version 1, as in compose. With Kafka 4's 2, verdicts
            // at a 0.1 s interval came 7.4 s p50 past their deadline (commits retried CONCURRENT_TRANSACTIONS);
            // with 1, 83 ms (docs/benchmarks.md, figure 9).
            services.putIfAbsent("LLMLB_KAFKA_TRANSACTION_VERSION", "1");
        }
        return new StandaloneConfig(env.string("LLMLB_HOST", "0.0.0.0"), env.port("LLMLB_PORT", 8080), kafkaPort,
                Path.of(env.string("LLMLB_DATA_DIR", "data")), external,
                IngestConfig.fromEnv(forService(services, INGEST_KAFKA_CONFIG)),
                StateProcessorConfig.fromEnv(forService(services, STATE_PROCESSOR_KAFKA_CONFIG)),
                QueryApiConfig.fromEnv(forService(services, QUERY_API_KAFKA_CONFIG)),
                QueryApiConfig.perNodeMetrics(env), ServerLimits.fromEnv(env));
    }

    /** The services' environment with {@code serviceVariable}'s file, when set, as the client properties file. */
    private static Map<String, String> forService(Map<String, String> services, String serviceVariable) {
        String own = services.get(serviceVariable);
        if (own == null || own.isBlank()) {
            return services;
        }
        Map<String, String> env = new HashMap<>(services);
        env.put(KafkaClientConfig.FILE_VARIABLE, own);
        return env;
    }

    private static void withoutClientSettings(Map<String, String> services) {
        List<String> ignored = services.keySet().stream()
                .filter(name -> name.equals(KafkaClientConfig.FILE_VARIABLE) || name.startsWith(KafkaClientConfig.ENV_PREFIX)
                        || name.equals(INGEST_KAFKA_CONFIG) || name.equals(STATE_PROCESSOR_KAFKA_CONFIG)
                        || name.equals(QUERY_API_KAFKA_CONFIG))
                .sorted()
                .toList();
        if (!ignored.isEmpty()) {
            LOG.warning("embedded broker (plaintext on 127.0.0.1): Kafka client settings ignored: " + ignored
                    + "; set LLMLB_KAFKA_BOOTSTRAP to use them against an external Kafka");
            ignored.forEach(services::remove);
        }
    }

    /** This configuration with other detection timings (tests use seconds, not minutes). */
    public StandaloneConfig withTimings(Duration nodeTimeout, Duration checkInterval) {
        // Ingest ticks at the pace of the check interval, as it does when both read the environment.
        return new StandaloneConfig(host, port, kafkaPort, dataDir, externalKafka, ingest.withCheckInterval(checkInterval),
                processor.withTimings(nodeTimeout, checkInterval), queryApi, perNodeMetrics, serverLimits);
    }
}
