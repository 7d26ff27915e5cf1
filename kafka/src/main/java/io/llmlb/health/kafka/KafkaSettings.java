package io.llmlb.health.kafka;

import io.llmlb.health.wire.EnvReader;
import io.llmlb.health.wire.Topics;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.producer.ProducerConfig;

/**
 * Where Kafka is and how topics are laid out; shared by every service.
 *
 * @param bootstrapServers {@code LLMLB_KAFKA_BOOTSTRAP}, default 127.0.0.1:9092
 * @param topics topic names ({@code LLMLB_TOPIC_PREFIX})
 * @param partitions partitions of each topic created at start ({@code LLMLB_PARTITIONS}); bounds
 *        how many state-processor instances can share the work
 * @param replicationFactor replication of topics created at start ({@code LLMLB_REPLICATION_FACTOR})
 * @param client security and other client settings ({@code LLMLB_KAFKA_CONFIG}, {@code LLMLB_KAFKA_CLIENT_*})
 *        applied to every client built from {@link #clientProperties(String)}
 * @param heartbeatRetentionBytes {@code retention.bytes} of the heartbeats topic created at start, per
 *        partition ({@code LLMLB_HEARTBEATS_RETENTION_MB}, 16–1,048,576 MiB, default 2,048): with
 *        {@code retention.ms} (24 h) it bounds the disk a flood of heartbeats can take
 * @param transactionVersion {@code LLMLB_KAFKA_TRANSACTION_VERSION} (1 or 2; unset or 0: the
 *        cluster's own): the level of the cluster's {@code transaction.version} feature that each
 *        service finalizes at start ({@link TransactionVersionPin}). Version 2, the default of a
 *        Kafka 4 cluster, made the state-processor's exactly-once producers retry
 *        CONCURRENT_TRANSACTIONS and OUT_OF_ORDER_SEQUENCE_NUMBER for minutes on the loaded
 *        three-broker compose stack; the compose file sets 1
 */
public record KafkaSettings(String bootstrapServers, Topics topics, int partitions, short replicationFactor,
                            KafkaClientConfig client, long heartbeatRetentionBytes, int transactionVersion) {

    public static final String DEFAULT_BOOTSTRAP = "127.0.0.1:9092";
    public static final int DEFAULT_HEARTBEAT_RETENTION_MB = 2048;

    /** Plaintext settings (no client configuration), as tests and the embedded broker use them. */
    public KafkaSettings(String bootstrapServers, Topics topics, int partitions, short replicationFactor) {
        this(bootstrapServers, topics, partitions, replicationFactor, KafkaClientConfig.none(),
                DEFAULT_HEARTBEAT_RETENTION_MB * 1024L * 1024L, TransactionVersionPin.CLUSTER_DEFAULT);
    }

    /**
     * Reads the settings from the environment. The bootstrap address is {@code LLMLB_KAFKA_BOOTSTRAP},
     * else the client properties file's {@code bootstrap.servers}, else 127.0.0.1:9092.
     */
    public static KafkaSettings fromEnv(EnvReader env) {
        KafkaClientConfig client = KafkaClientConfig.fromEnv(env.variables());
        return new KafkaSettings(
                env.string("LLMLB_KAFKA_BOOTSTRAP", client.bootstrapServers().orElse(DEFAULT_BOOTSTRAP)),
                new Topics(env.string("LLMLB_TOPIC_PREFIX", Topics.DEFAULT_PREFIX)),
                env.intInRange("LLMLB_PARTITIONS", 3, 1, 1024),
                (short) env.intInRange("LLMLB_REPLICATION_FACTOR", 1, 1, 16),
                client,
                env.intInRange("LLMLB_HEARTBEATS_RETENTION_MB", DEFAULT_HEARTBEAT_RETENTION_MB, 16, 1_048_576)
                        * 1024L * 1024L,
                env.intInRange("LLMLB_KAFKA_TRANSACTION_VERSION", TransactionVersionPin.CLUSTER_DEFAULT, 0, 2));
    }

    /** These settings with other client settings (a service's own principal, for instance). */
    public KafkaSettings withClient(KafkaClientConfig otherClient) {
        return new KafkaSettings(bootstrapServers, topics, partitions, replicationFactor, otherClient,
                heartbeatRetentionBytes, transactionVersion);
    }

    /** For the start-up log: address, topics and client settings with secrets masked. */
    public String describe() {
        return "kafka=" + bootstrapServers + " " + client.describe() + " topics=" + topics.prefix() + "*";
    }

    /** The longest pause of a durable producer between retries, metadata refreshes or reconnects. */
    static final int RETRY_BACKOFF_MAX_MS = 250;

    /**
     * Properties of a producer whose acknowledgement means "durable": acks=all, idempotent, and
     * giving up after {@code deliveryTimeout} so the caller can answer 503 instead of hanging.
     */
    public Map<String, Object> durableProducerProperties(String clientId, Duration deliveryTimeout) {
        Map<String, Object> props = clientProperties(clientId);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 5_000);
        props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000);
        props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) deliveryTimeout.toMillis());
        // After a broker dies, its partitions are unwritable until the controller fences it and
        // elects new leaders (about 3 s in compose); the producer meanwhile backs off its retries,
        // metadata refreshes and reconnects exponentially up to 1 s by default, so it found the new
        // leaders up to a second late while the heartbeats waited. Capped at a quarter second.
        props.put(ProducerConfig.RETRY_BACKOFF_MAX_MS_CONFIG, RETRY_BACKOFF_MAX_MS);
        props.put(ProducerConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, RETRY_BACKOFF_MAX_MS);
        // One request at a time per broker, so a partition's batches reach a new leader in order.
        // With five in flight, a broker kill's retries raced: the first batch waited out a
        // NOT_LEADER backoff while the next ones went straight to the new leader, which refused
        // them as out of order; the producer then held the partition until those batches expired
        // (the 6 s delivery timeout, seen as 503s and 7-16 s waits in the chaos runs). Batching
        // (linger, a batch per partition in each request) still carries thousands of records a
        // second per connection.
        props.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 1);
        return props;
    }

    /** How long a client waits for a broker's TCP connection to open, first and at most. */
    static final int CONNECTION_SETUP_TIMEOUT_MS = 1_000;
    static final int CONNECTION_SETUP_TIMEOUT_MAX_MS = 2_000;

    /**
     * Client properties every Kafka client of the project starts from; an operator's client
     * properties file ({@link KafkaClientConfig}) may override any of them.
     */
    public Map<String, Object> clientProperties(String clientId) {
        Map<String, Object> props = new HashMap<>();
        // A killed broker's address stops answering at all (no reset, the packets are dropped), and
        // a client connecting to it waits the setup timeout, 10 s by default, before it refreshes
        // its metadata: measured in the compose network, a producer kept writing to the dead leader
        // for up to 12 s after a broker kill, 9 s after the new leaders were elected. A connection
        // inside a data centre opens in milliseconds even on a loaded host; a second is ample.
        props.put(CommonClientConfigs.SOCKET_CONNECTION_SETUP_TIMEOUT_MS_CONFIG, CONNECTION_SETUP_TIMEOUT_MS);
        props.put(CommonClientConfigs.SOCKET_CONNECTION_SETUP_TIMEOUT_MAX_MS_CONFIG, CONNECTION_SETUP_TIMEOUT_MAX_MS);
        client.applyTo(props);
        props.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(CommonClientConfigs.CLIENT_ID_CONFIG, clientId);
        return props;
    }
}
