package io.llmlb.health.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.llmlb.health.wire.Topics;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.junit.jupiter.api.Test;

class KafkaSettingsTest {

    @Test
    void aDurableProducerLooksForNewLeadersWithinAQuarterSecondOfABrokersLoss() {
        Map<String, Object> props = new KafkaSettings("kafka:9092", new Topics("llmlb."), 6, (short) 3)
                .durableProducerProperties("ingest", Duration.ofSeconds(4));

        assertEquals("all", props.get(ProducerConfig.ACKS_CONFIG));
        assertEquals(4_000, props.get(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG));
        assertEquals(250, props.get(ProducerConfig.RETRY_BACKOFF_MAX_MS_CONFIG));
        assertEquals(250, props.get(ProducerConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG));
        assertEquals(1, props.get(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION));
    }

    @Test
    void everyClientGivesUpOnAConnectionThatDoesNotOpenWithinASecond() {
        Map<String, Object> props = new KafkaSettings("kafka:9092", new Topics("llmlb."), 6, (short) 3)
                .clientProperties("query-api");

        assertEquals(1_000, props.get(CommonClientConfigs.SOCKET_CONNECTION_SETUP_TIMEOUT_MS_CONFIG));
        assertEquals(2_000, props.get(CommonClientConfigs.SOCKET_CONNECTION_SETUP_TIMEOUT_MAX_MS_CONFIG));
    }
}
