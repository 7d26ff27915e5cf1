package io.llmlb.health.ingest.kafka;

import io.llmlb.health.ingest.HeartbeatSink;
import io.llmlb.health.ingest.InFlightHeartbeats;
import io.llmlb.health.ingest.WriteHealth;
import io.llmlb.health.kafka.JsonSerde;
import io.llmlb.health.kafka.KafkaAcks;
import io.llmlb.health.kafka.KafkaSettings;
import io.llmlb.health.kafka.UnavailableException;
import io.llmlb.health.wire.Heartbeat;
import io.llmlb.health.wire.InputPath;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.logging.Logger;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Writes heartbeats to the {@code heartbeats} topic with an idempotent, acks=all producer and
 * waits for the acknowledgement, so a 200 always means the heartbeat is in Kafka. Request threads
 * are virtual, so waiting costs no platform thread, and concurrent sends share batches. The same
 * producer writes this replica's input ticks ({@link InputTicker}).
 */
public final class KafkaHeartbeatSink implements HeartbeatSink, AutoCloseable {

    private static final Logger LOG = Logger.getLogger(KafkaHeartbeatSink.class.getName());
    /** A little beyond the producer's own delivery timeout, so the producer gives up first. */
    private static final Duration ACK_WAIT = InputPath.DELIVERY_TIMEOUT.plusSeconds(1);
    /**
     * How long one produce request may wait for its answer. When a follower dies, its leader holds
     * acks=all writes until the controller fences the dead broker and the ISR shrinks (the broker
     * session, 3 s in compose, and a little): a request timeout shorter than that, as the 3 s used
     * before, gave up on a live leader just as it was about to answer, dropped the connection with
     * everything in flight on it, and the writes started over and often missed the delivery
     * timeout (a broker kill then cost nodes 503s and waits of 7 to 16 s). Longer than needed does
     * no harm: a dead broker's connection fails at once, and a leader move is answered at once.
     */
    private static final Duration REQUEST_TIMEOUT = Duration.ofMillis(5_000);
    /** How long a send may wait for the topic's metadata, within the answer's own deadline. */
    private static final Duration METADATA_WAIT = Duration.ofMillis(3_000);

    private final KafkaProducer<String, Object> producer;
    private final String topic;
    private final Counter produceErrors;
    private final WriteHealth health;
    private final InputTicker ticker;

    public KafkaHeartbeatSink(KafkaSettings settings, MeterRegistry meters, InFlightHeartbeats inFlight,
                              WriteHealth health, Duration tickInterval) {
        Map<String, Object> props = settings.durableProducerProperties("llmlb-ingest", InputPath.DELIVERY_TIMEOUT);
        props.put(ProducerConfig.LINGER_MS_CONFIG, 1);
        props.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) REQUEST_TIMEOUT.toMillis());
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, (int) METADATA_WAIT.toMillis());
        this.producer = new KafkaProducer<>(props, new StringSerializer(), JsonSerde.of(Object.class));
        this.topic = settings.topics().heartbeats();
        this.health = health;
        this.produceErrors = Counter.builder("llm_router.kafka.produce.errors")
                .description("Heartbeats Kafka did not acknowledge (answered 503)")
                .tag("topic", "heartbeats")
                .register(meters);
        new KafkaClientMetrics(producer, List.of(Tag.of("client", "ingest"))).bindTo(meters);
        this.ticker = new InputTicker(producer, topic, replicaId(), inFlight, health, tickInterval);
    }

    /** Starts writing input ticks; without them the state-processor judges no node. */
    public void startTicking() {
        ticker.start();
    }

    @Override
    public void publish(Heartbeat heartbeat) {
        try {
            KafkaAcks.await(producer.send(new ProducerRecord<>(topic, null, heartbeat.receivedAt().toEpochMilli(),
                    heartbeat.nodeId(), heartbeat)), ACK_WAIT, "heartbeat could not be stored in Kafka");
            health.succeeded();
        } catch (UnavailableException notStored) {
            health.failed();
            produceErrors.increment();
            LOG.warning("heartbeat of " + heartbeat.nodeId() + " not stored: " + notStored.getMessage());
            throw notStored;
        }
    }

    @Override
    public void close() {
        ticker.close();
        producer.close(Duration.ofSeconds(10));
    }

    /** Unique per process start: a restarted replica is a new one (the old one is forgotten later). */
    private static String replicaId() {
        String host = System.getenv("HOSTNAME");
        if (host == null || host.isBlank()) {
            try {
                host = InetAddress.getLocalHost().getHostName();
            } catch (UnknownHostException e) {
                host = "ingest";
            }
        }
        return host + "-" + ProcessHandle.current().pid() + "-" + Long.toHexString(System.nanoTime() & 0xffffff);
    }
}
