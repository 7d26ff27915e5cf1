package io.llmlb.health.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.Test;

class MetersTest {

    /**
     * Micrometer's Kafka binder re-checks its meters every minute by looking them up under their
     * own name and registers those it cannot find; a gauge renamed in its id was never found and
     * was registered again, with a warning in the log a minute after every start.
     */
    @Test
    void renamedKafkaCountGaugeIsFoundUnderItsOwnNameAndRegisteredOnce() {
        PrometheusMeterRegistry registry = Meters.newRegistry();
        Tags tags = Tags.of("client.id", "producer-1");
        Gauge.builder("kafka.producer.connection.count", () -> 2.0).tags(tags).register(registry);

        // What KafkaMetrics.checkAndBindMetrics does before binding a metric again; finding nothing,
        // it registered the gauge a second time.
        assertEquals(1, registry.find("kafka.producer.connection.count").tags(tags).meters().size());
        String scrape = registry.scrape();
        assertTrue(scrape.contains("kafka_producer_connection_number{client_id=\"producer-1\"} 2.0"), scrape);
        assertFalse(scrape.contains("kafka_producer_connection_count"), scrape);
    }
}
