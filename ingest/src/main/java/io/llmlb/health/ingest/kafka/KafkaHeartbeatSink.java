package io.llmlb.health.ingest.kafka;

import io.llmlb.health.http.ApiException;
import io.llmlb.health.http.KafkaAcks;
import io.llmlb.health.ingest.HeartbeatSink;
import io.llmlb.health.wire.Heartbeat;
import io.llmlb.health.wire.JsonSerde;
import io.llmlb.health.wire.KafkaSettings;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
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
 * are virtual, so waiting costs no platform thread, and concurrent sends share batches.
 */
public final class KafkaHeartbeatSink implements HeartbeatSink, AutoCloseable {

    private static final Logger LOG = Logger.getLogger(KafkaHeartbeatSink.class.getName());
    private static final Duration DELIVERY_TIMEOUT = Duration.ofSeconds(10);
    /** A little beyond the producer's own delivery timeout, so the producer gives up first. */
    private static final Duration ACK_WAIT = DELIVERY_TIMEOUT.plusSeconds(2);

    private final KafkaProducer<String, Heartbeat> producer;
    private final String topic;
    private final Counter produceErrors;

    public KafkaHeartbeatSink(KafkaSettings settings, MeterRegistry meters) {
        Map<String, Object> props = settings.durableProducerProperties("llmlb-ingest", DELIVERY_TIMEOUT);
        props.put(ProducerConfig.LINGER_MS_CONFIG, 1);
        props.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        this.producer = new KafkaProducer<>(props, new StringSerializer(), JsonSerde.of(Heartbeat.class));
        this.topic = settings.topics().heartbeats();
        this.produceErrors = Counter.builder("llm_router.kafka.produce.errors")
                .description("Heartbeats Kafka did not acknowledge (answered 503)")
                .tag("topic", "heartbeats")
                .register(meters);
        new KafkaClientMetrics(producer, List.of(Tag.of("client", "ingest"))).bindTo(meters);
    }

    @Override
    public void publish(Heartbeat heartbeat) {
        try {
            KafkaAcks.await(producer.send(new ProducerRecord<>(topic, null, heartbeat.receivedAt().toEpochMilli(),
                    heartbeat.nodeId(), heartbeat)), ACK_WAIT, "heartbeat could not be stored in Kafka");
        } catch (ApiException notStored) {
            produceErrors.increment();
            LOG.warning("heartbeat of " + heartbeat.nodeId() + " not stored: " + notStored.getMessage());
            throw notStored;
        }
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(10));
    }
}
