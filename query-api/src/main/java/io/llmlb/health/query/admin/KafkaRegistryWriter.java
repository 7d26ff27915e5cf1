package io.llmlb.health.query.admin;

import io.llmlb.health.http.ApiException;
import io.llmlb.health.http.KafkaAcks;
import io.llmlb.health.kafka.JsonSerde;
import io.llmlb.health.kafka.KafkaSettings;
import io.llmlb.health.kafka.RegistryCache;
import io.llmlb.health.wire.Registration;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Writes to the {@code node-registry} topic and waits until the local {@link RegistryCache} has
 * read the record back, so the caller's next request sees its own write.
 */
public final class KafkaRegistryWriter implements RegistryWriter, AutoCloseable {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final Duration RETRY_AFTER = Duration.ofSeconds(5);

    private final KafkaProducer<String, Registration> producer;
    private final RegistryCache cache;
    private final String topic;

    public KafkaRegistryWriter(KafkaSettings settings, RegistryCache cache) {
        Map<String, Object> props = settings.durableProducerProperties("llmlb-query-api-registry", TIMEOUT);
        this.producer = new KafkaProducer<>(props, new StringSerializer(), JsonSerde.of(Registration.class));
        this.cache = cache;
        this.topic = settings.topics().nodeRegistry();
    }

    @Override
    public void write(Registration registration) {
        send(registration.nodeId(), registration);
    }

    @Override
    public void delete(String nodeId) {
        send(nodeId, null);
    }

    private void send(String nodeId, Registration value) {
        RecordMetadata written = KafkaAcks.await(producer.send(new ProducerRecord<>(topic, nodeId, value)),
                TIMEOUT.plusSeconds(2), "registry could not be written to Kafka");
        try {
            if (!cache.awaitApplied(written.partition(), written.offset(), TIMEOUT)) {
                throw ApiException.unavailable("registry change stored but not yet readable; retry later", RETRY_AFTER);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw ApiException.unavailable("interrupted while writing the registry", RETRY_AFTER);
        }
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(10));
    }
}
