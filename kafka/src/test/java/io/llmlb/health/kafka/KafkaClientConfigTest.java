package io.llmlb.health.kafka;

import io.llmlb.health.wire.ConfigException;
import io.llmlb.health.wire.EnvReader;
import io.llmlb.health.wire.Topics;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KafkaClientConfigTest {

    private static final String JAAS = "org.apache.kafka.common.security.scram.ScramLoginModule required"
            + " username=\"llmlb-ingest\" password=\"s3cret-pw\";";

    @TempDir
    Path dir;

    @Test
    void fileSettingsReachEveryClientAndTheServicesOwnSettingsWin() throws IOException {
        Path truststore = Files.writeString(dir.resolve("truststore.p12"), "not parsed here");
        Path file = Files.writeString(dir.resolve("client.properties"), """
                bootstrap.servers=kafka.example:9093
                security.protocol=SASL_SSL
                sasl.mechanism=SCRAM-SHA-512
                ssl.truststore.location=%s
                ssl.truststore.password=trust-pw
                """.formatted(truststore) + "sasl.jaas.config=" + JAAS.replace("\"", "\\\"") + "\n");

        KafkaSettings settings = KafkaSettings.fromEnv(new EnvReader(Map.of("LLMLB_KAFKA_CONFIG", file.toString())));
        Map<String, Object> producer = settings.durableProducerProperties("llmlb-ingest", Duration.ofSeconds(10));

        assertEquals("kafka.example:9093", settings.bootstrapServers(), "the file's bootstrap.servers is used");
        assertEquals("SASL_SSL", producer.get("security.protocol"));
        assertEquals(JAAS, producer.get("sasl.jaas.config"));
        assertEquals("all", producer.get("acks"));
        assertEquals("llmlb-ingest", producer.get("client.id"));
    }

    @Test
    void environmentVariablesSetOneSettingEachAndWinOverTheFile() throws IOException {
        Path file = Files.writeString(dir.resolve("client.properties"), "security.protocol=SSL\n");

        KafkaClientConfig client = KafkaClientConfig.fromEnv(Map.of(
                "LLMLB_KAFKA_CONFIG", file.toString(),
                "LLMLB_KAFKA_CLIENT_SECURITY_PROTOCOL", "SASL_SSL",
                "LLMLB_KAFKA_CLIENT_SASL_MECHANISM", "SCRAM-SHA-512",
                "LLMLB_KAFKA_CLIENT_SASL_JAAS_CONFIG", JAAS));

        assertEquals("SASL_SSL", client.properties().get("security.protocol"));
        assertEquals("SCRAM-SHA-512", client.properties().get("sasl.mechanism"));
        assertEquals(JAAS, client.properties().get("sasl.jaas.config"));
    }

    @Test
    void startUpDescriptionMasksEverySecret() {
        KafkaClientConfig client = KafkaClientConfig.fromEnv(Map.of(
                "LLMLB_KAFKA_CLIENT_SECURITY_PROTOCOL", "SASL_SSL",
                "LLMLB_KAFKA_CLIENT_SASL_JAAS_CONFIG", JAAS,
                "LLMLB_KAFKA_CLIENT_SSL_KEY_PASSWORD", "key-pw",
                "LLMLB_KAFKA_CLIENT_SSL_TRUSTSTORE_PASSWORD", "trust-pw",
                "LLMLB_KAFKA_CLIENT_SASL_OAUTHBEARER_CLIENT_CREDENTIALS_CLIENT_SECRET", "oauth-secret"));
        String description = new KafkaSettings("k:9093", new Topics("llmlb."), 3, (short) 3, client, 1L << 30, 0).describe()
                + " " + client;

        for (String secret : new String[] {"s3cret-pw", "key-pw", "trust-pw", "oauth-secret", "ScramLoginModule"}) {
            assertFalse(description.contains(secret), "leaks " + secret + ": " + description);
        }
        assertTrue(description.contains("sasl.jaas.config=******"), description);
        assertTrue(description.contains("security=SASL_SSL"), description);
    }

    @Test
    void missingFileIsAnErrorNamingTheVariable() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> KafkaClientConfig.fromEnv(Map.of("LLMLB_KAFKA_CONFIG", dir.resolve("absent.properties").toString())));

        assertTrue(e.getMessage().startsWith("LLMLB_KAFKA_CONFIG="), e.getMessage());
        assertTrue(e.getMessage().contains("no such file"), e.getMessage());
    }

    @Test
    void typoInASettingNameIsRefusedRatherThanSilentlyIgnored() throws IOException {
        Path file = Files.writeString(dir.resolve("client.properties"), "sasl.mechansim=SCRAM-SHA-512\n");

        ConfigException e = assertThrows(ConfigException.class,
                () -> KafkaClientConfig.fromEnv(Map.of("LLMLB_KAFKA_CONFIG", file.toString())));

        assertTrue(e.getMessage().contains("'sasl.mechansim' is not a Kafka"), e.getMessage());
    }

    @Test
    void settingsTheServicesDependOnCannotBeOverridden() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> KafkaClientConfig.fromEnv(Map.of("LLMLB_KAFKA_CLIENT_ACKS", "1")));

        assertTrue(e.getMessage().contains("LLMLB_KAFKA_CLIENT_ACKS"), e.getMessage());
    }

    @Test
    void unknownProtocolAndSaslWithoutCredentialsAreRefused() {
        assertThrows(ConfigException.class,
                () -> KafkaClientConfig.fromEnv(Map.of("LLMLB_KAFKA_CLIENT_SECURITY_PROTOCOL", "TLS")));
        ConfigException e = assertThrows(ConfigException.class,
                () -> KafkaClientConfig.fromEnv(Map.of("LLMLB_KAFKA_CLIENT_SECURITY_PROTOCOL", "SASL_SSL")));
        assertTrue(e.getMessage().contains("sasl.jaas.config"), e.getMessage());
    }

    @Test
    void missingTruststoreIsNamed() {
        ConfigException e = assertThrows(ConfigException.class, () -> KafkaClientConfig.fromEnv(Map.of(
                "LLMLB_KAFKA_CLIENT_SECURITY_PROTOCOL", "SSL",
                "LLMLB_KAFKA_CLIENT_SSL_TRUSTSTORE_LOCATION", dir.resolve("none.p12").toString())));

        assertTrue(e.getMessage().contains("ssl.truststore.location"), e.getMessage());
    }

    @Test
    void noSettingsMeansPlaintextAndTheDefaultAddress() {
        KafkaSettings settings = KafkaSettings.fromEnv(new EnvReader(Map.of()));

        assertEquals(KafkaSettings.DEFAULT_BOOTSTRAP, settings.bootstrapServers());
        assertEquals(Map.of("bootstrap.servers", KafkaSettings.DEFAULT_BOOTSTRAP, "client.id", "x",
                        "socket.connection.setup.timeout.ms", 1_000, "socket.connection.setup.timeout.max.ms", 2_000),
                settings.clientProperties("x"));
    }
}
