package io.llmlb.health.standalone;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.llmlb.health.kafka.KafkaSettings;
import io.llmlb.health.kafka.TopicFollower;
import io.llmlb.health.wire.Topics;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The read-your-writes barrier the services lean on when a node id or token is unknown: a record
 * acknowledged by the broker before {@link TopicFollower#awaitEndAtCall} is handled when it
 * returns true, because the barrier reads the topic's end offsets after the call. The barrier it
 * replaced waited for "a poll started after the call", which a consumer may answer from a fetch
 * sent before it; CI once saw an approval reach the other query-api replica and get 404.
 */
class TopicFollowerKafkaTest {

    private static final String TOPIC = "follower-barrier";
    private static final int PARTITIONS = 3;
    private static final int WRITES = 200;

    @TempDir
    Path dataDir;

    @Test
    void everyRecordAcknowledgedBeforeTheBarrierIsHandledWhenItReturns() throws Exception {
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(dataDir, EmbeddedKafkaBroker.freePort())) {
            KafkaSettings settings = new KafkaSettings(broker.bootstrapServers(), new Topics("barrier."), PARTITIONS, (short) 1);
            try (Admin admin = Admin.create(settings.clientProperties("barrier-admin"))) {
                admin.createTopics(List.of(new NewTopic(TOPIC, PARTITIONS, (short) 1))).all().get();
            }
            Set<String> handled = ConcurrentHashMap.newKeySet();
            Map<String, Object> producerProps = settings.durableProducerProperties("barrier-writer", Duration.ofSeconds(30));
            try (TopicFollower follower = TopicFollower.start(settings, TOPIC, "barrier-follower", r -> handled.add(r.key()));
                 KafkaProducer<String, byte[]> producer = new KafkaProducer<>(producerProps, new StringSerializer(),
                         new ByteArraySerializer())) {
                assertTrue(follower.awaitCaughtUp(Duration.ofSeconds(30)), "the empty topic is read");
                for (int i = 0; i < WRITES; i++) {
                    String key = "write-" + i;
                    producer.send(new ProducerRecord<>(TOPIC, i % PARTITIONS, key, new byte[] {1})).get();
                    assertTrue(follower.awaitEndAtCall(Duration.ofSeconds(30)), "barrier " + i + " timed out");
                    assertTrue(handled.contains(key), key + " was acknowledged before the barrier and is not handled");
                }
            }
        }
    }

    @Test
    void aStoppedFollowerAnswersFalseAtOnce() throws Exception {
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(dataDir, EmbeddedKafkaBroker.freePort())) {
            KafkaSettings settings = new KafkaSettings(broker.bootstrapServers(), new Topics("barrier."), 1, (short) 1);
            try (Admin admin = Admin.create(settings.clientProperties("barrier-admin"))) {
                admin.createTopics(List.of(new NewTopic(TOPIC, 1, (short) 1))).all().get();
            }
            TopicFollower follower = TopicFollower.start(settings, TOPIC, "barrier-follower", r -> { });
            follower.close();
            long started = System.nanoTime();
            assertFalse(follower.awaitEndAtCall(Duration.ofSeconds(30)));
            assertTrue(System.nanoTime() - started < Duration.ofSeconds(5).toNanos(), "did not wait out its timeout");
        }
    }
}
