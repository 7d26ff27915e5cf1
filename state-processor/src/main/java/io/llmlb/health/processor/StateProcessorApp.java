package io.llmlb.health.processor;

import io.llmlb.health.kafka.TopicBootstrap;
import io.llmlb.health.processor.config.FailoverSettings;
import io.llmlb.health.processor.config.StateProcessorConfig;
import io.llmlb.health.processor.topology.NodeStateTopology;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;

/** Runs the node-state topology in Kafka Streams: exactly-once, committing every 100 ms. */
public final class StateProcessorApp implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(StateProcessorApp.class.getName());
    /** How long a transaction commit may wait for the brokers: the longest outage ridden out in place. */
    static final Duration COMMIT_WAITS_OUT = Duration.ofMinutes(10);
    /**
     * Largest producer batch (Kafka's default is 16 KiB). A mass expiry writes three records per
     * verdict as fast as the stream thread can judge: 16 KiB holds about 27 node states, so the
     * broker and the sender thread paid their per-request cost every few dozen records.
     * Heartbeat-paced traffic is unchanged: batches still leave after the 5 ms linger, full or not.
     */
    static final int MAX_BATCH_BYTES = 256 * 1024;
    /** Kafka's default batch size, the least this sets. */
    static final int MIN_BATCH_BYTES = 16 * 1024;
    /** The producer's buffer ({@code buffer.memory}, Kafka's default 32 MiB, left as it is). */
    static final long PRODUCER_BUFFER_BYTES = 32L * 1024 * 1024;
    /** Topics the stream thread's producer writes: four store changelogs and three outputs. */
    static final int TOPICS_WRITTEN = 7;

    private final KafkaStreams streams;
    private final AbandonedTransactionFencer fencer;

    private StateProcessorApp(KafkaStreams streams, AbandonedTransactionFencer fencer) {
        this.streams = streams;
        this.fencer = fencer;
    }

    /** Creates the topics if needed and starts processing, reporting to {@code meters}. */
    public static StateProcessorApp start(StateProcessorConfig config, MeterRegistry meters) {
        LOG.info(config.describe());
        TopicBootstrap.ensureTopics(config.kafka(), Duration.ofSeconds(60));
        KafkaStreams streams = new KafkaStreams(
                NodeStateTopology.build(config, new MicrometerDetectorMetrics(meters)), streamsProperties(config));
        new KafkaStreamsMetrics(streams, List.of(Tag.of("app", "state-processor"))).bindTo(meters);
        streams.setUncaughtExceptionHandler(error -> {
            LOG.log(Level.SEVERE, "state-processor thread failed; replacing it", error);
            return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.REPLACE_THREAD;
        });
        streams.start();
        FailoverSettings failover = config.failover();
        // Checked at the group heartbeat's pace: a dead instance is dropped at the session timeout,
        // and its open transaction is then at least that old.
        AbandonedTransactionFencer fencer = AbandonedTransactionFencer.start(
                config.kafka().clientProperties(config.applicationId() + "-fencer"), config.applicationId(),
                failover.heartbeatInterval(), failover.sessionTimeout().dividedBy(3), meters);
        return new StateProcessorApp(streams, fencer);
    }

    static Properties streamsProperties(StateProcessorConfig config) {
        Properties props = new Properties();
        Map<String, Object> client = config.kafka().clientProperties(config.applicationId());
        props.putAll(client);
        // Kafka Streams' own client id, <application.id>-<processId>, names each group member after
        // its process: the AbandonedTransactionFencer matches members to transactional ids by it.
        props.remove(StreamsConfig.CLIENT_ID_CONFIG);
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, config.applicationId());
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, config.commitInterval().toMillis());
        // An idle stream thread blocks in poll up to poll.ms (100 ms by default) and runs neither
        // punctuator nor commit meanwhile: at sub-second check intervals that would be their jitter.
        props.put(StreamsConfig.POLL_MS_CONFIG, config.commitInterval().toMillis());
        props.put(StreamsConfig.STATE_DIR_CONFIG, config.stateDir().toAbsolutePath().toString());
        props.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, (int) config.kafka().replicationFactor());
        props.put(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, 0);
        props.put(StreamsConfig.NUM_STANDBY_REPLICAS_CONFIG, config.standbyReplicas());
        props.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, config.streamThreads());
        props.put(StreamsConfig.producerPrefix(ProducerConfig.LINGER_MS_CONFIG), 5);
        props.put(StreamsConfig.producerPrefix(ProducerConfig.BATCH_SIZE_CONFIG),
                batchBytes(config.kafka().partitions()));
        // A node state is about 600 bytes of JSON whose names repeat in every record, written twice
        // (node-state and its changelog) per heartbeat and per verdict: the brokers store, replicate
        // and serve a fraction of the bytes (docs/benchmarks.md, figure 9f).
        props.put(StreamsConfig.producerPrefix(ProducerConfig.COMPRESSION_TYPE_CONFIG), "lz4");
        // A transaction commit waits out a broker outage instead of timing out after Kafka's
        // 60 s: after a timed-out commit, Kafka Streams 4.4 still runs wall-clock punctuators,
        // whose first forward then fails ("previous call to `commitTransaction` timed out and must
        // be retried") and kills the stream thread. Nothing can be written during the outage
        // anyway; the thread resumes where it was once a broker answers.
        props.put(StreamsConfig.producerPrefix(ProducerConfig.MAX_BLOCK_MS_CONFIG), (int) COMMIT_WAITS_OUT.toMillis());
        // Kafka Streams' default (5 min) would make the group drop a thread blocked in that commit.
        props.put(StreamsConfig.consumerPrefix(ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG),
                (int) COMMIT_WAITS_OUT.plusMinutes(1).toMillis());
        // Restoring a store after a crash must not read the dead instance's open transaction.
        props.put(StreamsConfig.restoreConsumerPrefix(ConsumerConfig.ISOLATION_LEVEL_CONFIG), "read_committed");
        // A dead instance's partitions move to a live one after the session timeout (10 s by
        // default instead of Kafka's 45 s): while a partition has no owner, nobody judges its nodes.
        FailoverSettings failover = config.failover();
        props.put(StreamsConfig.consumerPrefix(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG),
                (int) failover.sessionTimeout().toMillis());
        props.put(StreamsConfig.consumerPrefix(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG),
                (int) failover.heartbeatInterval().toMillis());
        props.put(StreamsConfig.producerPrefix(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG),
                (int) failover.transactionTimeout().toMillis());
        if (failover.instanceId() != null) {
            // Static membership: a restarted container rejoins as itself and gets its own tasks
            // back without a rebalance (Kafka Streams suffixes the id per stream thread).
            props.put(StreamsConfig.consumerPrefix(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG), failover.instanceId());
        }
        return props;
    }

    /**
     * The batch size for {@code partitions} per topic. Each open batch reserves its whole size in
     * the producer's buffer, and when the buffer is spent a send blocks: so a batch may be at most
     * the buffer shared by every partition of every topic written, within Kafka's default and
     * {@link #MAX_BATCH_BYTES} (256 KiB up to 18 partitions, the default from 293 on).
     */
    static int batchBytes(int partitions) {
        long share = PRODUCER_BUFFER_BYTES / ((long) TOPICS_WRITTEN * Math.max(1, partitions));
        return (int) Math.max(MIN_BATCH_BYTES, Math.min(MAX_BATCH_BYTES, share));
    }

    /** Whether Kafka Streams is processing (RUNNING or rebalancing, not failed or closed). */
    public boolean isRunning() {
        return streams.state().isRunningOrRebalancing();
    }

    /** The Kafka Streams state, for readiness reports. */
    public KafkaStreams.State state() {
        return streams.state();
    }

    /**
     * Partitions whose active tasks run in this instance: the nodes it judges are those keyed to
     * them (the bench counts them to measure the heap per node of one instance).
     */
    public java.util.Set<Integer> activePartitions() {
        java.util.Set<Integer> partitions = new java.util.TreeSet<>();
        streams.metadataForLocalThreads().forEach(thread -> thread.activeTasks().forEach(task ->
                task.topicPartitions().forEach(partition -> partitions.add(partition.partition()))));
        return partitions;
    }

    /**
     * Stops processing and leaves the consumer group, so a restarted or other instance takes the
     * partitions over at once instead of after the session timeout (45 s by default).
     */
    @Override
    public void close() {
        fencer.close();
        streams.close(CloseOptions.timeout(Duration.ofSeconds(30))
                .withGroupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP));
    }
}
