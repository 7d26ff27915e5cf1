package io.llmlb.health.standalone;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.llmlb.health.kafka.KafkaClientConfig;
import io.llmlb.health.kafka.KafkaSettings;
import io.llmlb.health.kafka.TopicBootstrap;
import io.llmlb.health.wire.Topics;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.FinalizedVersionRange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code LLMLB_KAFKA_TRANSACTION_VERSION} on a real KRaft broker: the services' start-up step
 * finalizes the level asked for, down and up, and 0 leaves the cluster's level alone.
 */
class TransactionVersionPinTest {

    @TempDir
    Path kafkaDir;

    @Test
    void theStartUpStepFinalizesTheTransactionVersionAskedFor() throws Exception {
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(kafkaDir, EmbeddedKafkaBroker.freePort());
             Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
            int asFormatted = transactionVersion(admin);
            assertEquals(2, asFormatted, "Kafka 4 formats a new cluster at transaction version 2");

            TopicBootstrap.ensureTopics(settings(broker, 1), Duration.ofSeconds(30));
            assertEquals(1, transactionVersion(admin), "version 1 asked for");

            TopicBootstrap.ensureTopics(settings(broker, 0), Duration.ofSeconds(30));
            assertEquals(1, transactionVersion(admin), "0 leaves the cluster's level alone");

            TopicBootstrap.ensureTopics(settings(broker, 2), Duration.ofSeconds(30));
            assertEquals(2, transactionVersion(admin), "version 2 asked for");
        }
    }

    private static KafkaSettings settings(EmbeddedKafkaBroker broker, int transactionVersion) {
        return new KafkaSettings(broker.bootstrapServers(), new Topics("pin-test."), 1, (short) 1, KafkaClientConfig.none(),
                64L * 1024 * 1024, transactionVersion);
    }

    private static int transactionVersion(Admin admin) throws Exception {
        FinalizedVersionRange range = admin.describeFeatures().featureMetadata().get(30, TimeUnit.SECONDS)
                .finalizedFeatures().get("transaction.version");
        return range == null ? 0 : range.maxVersionLevel();
    }
}
