package io.llmlb.health.standalone;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which Kafka client settings each part of the one-process mode takes. */
class StandaloneKafkaClientConfigTest {

    @TempDir
    Path dir;

    @Test
    void embeddedBrokerIgnoresClientSettingsItCouldNotSpeak() throws IOException {
        Path file = Files.writeString(dir.resolve("client.properties"), "security.protocol=SSL\n");

        StandaloneConfig config = StandaloneConfig.fromEnv(Map.of("LLMLB_DATA_DIR", dir.toString(),
                "LLMLB_KAFKA_CONFIG", file.toString(), "LLMLB_KAFKA_CLIENT_RETRIES", "3"));

        assertFalse(config.externalKafka());
        assertTrue(config.ingest().kafka().client().properties().isEmpty());
        assertEquals("security=PLAINTEXT", config.processor().kafka().client().describe());
    }

    @Test
    void externalKafkaGivesEachServiceItsOwnFileWhenSet() throws IOException {
        Path shared = Files.writeString(dir.resolve("shared.properties"),
                "bootstrap.servers=kafka.example:9093\nsecurity.protocol=SSL\n");
        Path ingest = Files.writeString(dir.resolve("ingest.properties"),
                "bootstrap.servers=kafka.example:9093\nsecurity.protocol=SSL\nretries=7\n");

        StandaloneConfig config = StandaloneConfig.fromEnv(Map.of("LLMLB_DATA_DIR", dir.toString(),
                "LLMLB_KAFKA_CONFIG", shared.toString(), "LLMLB_INGEST_KAFKA_CONFIG", ingest.toString()));

        assertTrue(config.externalKafka(), "the file's bootstrap.servers selects an external Kafka");
        assertEquals("kafka.example:9093", config.queryApi().kafka().bootstrapServers());
        assertEquals("7", config.ingest().kafka().client().properties().get("retries"));
        assertFalse(config.processor().kafka().client().properties().containsKey("retries"));
        assertEquals("SSL", config.queryApi().kafka().client().securityProtocol());
    }

    @Test
    void theEmbeddedBrokerRunsAtTransactionVersionOneAnExternalKafkaKeepsItsOwn() {
        StandaloneConfig embedded = StandaloneConfig.fromEnv(Map.of("LLMLB_DATA_DIR", dir.toString()));
        assertEquals(1, embedded.processor().kafka().transactionVersion());
        assertEquals(1, embedded.ingest().kafka().transactionVersion());

        StandaloneConfig asked = StandaloneConfig.fromEnv(Map.of("LLMLB_DATA_DIR", dir.toString(),
                "LLMLB_KAFKA_TRANSACTION_VERSION", "2"));
        assertEquals(2, asked.processor().kafka().transactionVersion());

        StandaloneConfig external = StandaloneConfig.fromEnv(Map.of("LLMLB_DATA_DIR", dir.toString(),
                "LLMLB_KAFKA_BOOTSTRAP", "kafka.example:9092"));
        assertEquals(0, external.processor().kafka().transactionVersion());
    }
}
