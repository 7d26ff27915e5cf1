package io.llmlb.health.standalone;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.llmlb.health.kafka.KafkaSettings;
import io.llmlb.health.processor.AbandonedTransactionFencer;
import io.llmlb.health.wire.Topics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A state-processor instance the group has dropped leaves its transaction open; the fencer aborts
 * it at once, and leaves a live member's transaction alone. On the embedded broker, with the
 * names Kafka Streams gives its group members and transactional ids.
 */
class AbandonedTransactionFencerKafkaTest {

    private static final String APP = "fence-app";
    private static final String TOPIC = "fence-output";
    private static final String LIVE = "0b6f3c52-7a43-4f4e-9d0a-2f0c8d1e5a11";
    private static final String DEAD = "9c1d2e3f-4a5b-4c6d-8e7f-0a1b2c3d4e5f";

    @TempDir
    Path dataDir;

    @Test
    void theDroppedInstancesTransactionIsAbortedAndTheLiveOnesIsNot() throws Exception {
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(dataDir, EmbeddedKafkaBroker.freePort())) {
            KafkaSettings settings = new KafkaSettings(broker.bootstrapServers(), new Topics("fence."), 1, (short) 1);
            try (Admin admin = Admin.create(settings.clientProperties("fence-admin"))) {
                admin.createTopics(List.of(new NewTopic(TOPIC, 1, (short) 1))).all().get();
            }
            AtomicBoolean memberPolls = new AtomicBoolean(true);
            Thread member = Thread.ofPlatform().name("live-member").start(() -> pollAsLiveMember(settings, memberPolls));
            SimpleMeterRegistry meters = new SimpleMeterRegistry();
            try (KafkaProducer<String, String> live = transactional(settings, APP + "-" + LIVE + "-1");
                 KafkaProducer<String, String> dead = transactional(settings, APP + "-" + DEAD + "-1");
                 AbandonedTransactionFencer fencer = AbandonedTransactionFencer.start(
                         settings.clientProperties("fence-fencer"), APP, Duration.ofHours(1), Duration.ZERO, meters)) {
                awaitMember(settings);
                live.beginTransaction();
                live.send(new ProducerRecord<>(TOPIC, "live", "v")).get();
                dead.beginTransaction();
                dead.send(new ProducerRecord<>(TOPIC, "dead", "v")).get();

                assertEquals(Set.of(APP + "-" + DEAD + "-1"), fencer.fenceAbandoned());

                assertThrows(KafkaException.class, dead::commitTransaction, "the dropped instance is fenced");
                live.commitTransaction();
                assertEquals(List.of("live"), committedKeys(settings));
                assertEquals(1.0, meters.get("llm_router.processor.fenced.transactions").counter().count());
            } finally {
                memberPolls.set(false);
                member.join();
            }
        }
    }

    private static KafkaProducer<String, String> transactional(KafkaSettings settings, String transactionalId) {
        Map<String, Object> props = settings.clientProperties(transactionalId);
        props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
        KafkaProducer<String, String> producer = new KafkaProducer<>(props, new StringSerializer(), new StringSerializer());
        producer.initTransactions();
        return producer;
    }

    /** A group member named as Kafka Streams names the consumer of process LIVE's first thread. */
    private static void pollAsLiveMember(KafkaSettings settings, AtomicBoolean polls) {
        Map<String, Object> props = settings.clientProperties(APP + "-" + LIVE + "-StreamThread-1-consumer");
        props.put(ConsumerConfig.GROUP_ID_CONFIG, APP);
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props, new StringDeserializer(),
                new StringDeserializer())) {
            consumer.subscribe(List.of(TOPIC));
            while (polls.get()) {
                consumer.poll(Duration.ofMillis(100));
            }
        }
    }

    private static void awaitMember(KafkaSettings settings) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        try (Admin admin = Admin.create(settings.clientProperties("fence-watch"))) {
            while (admin.describeConsumerGroups(List.of(APP)).all().get().get(APP).members().isEmpty()) {
                assertTrue(System.nanoTime() < deadline, "the live member never joined the group");
                Thread.onSpinWait();
            }
        }
    }

    /** Keys a read_committed reader sees: the aborted transaction's record is not among them. */
    private static List<String> committedKeys(KafkaSettings settings) {
        Map<String, Object> props = settings.clientProperties("fence-reader");
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        List<String> keys = new ArrayList<>();
        TopicPartition partition = new TopicPartition(TOPIC, 0);
        try (KafkaConsumer<String, String> reader = new KafkaConsumer<>(props, new StringDeserializer(),
                new StringDeserializer())) {
            reader.assign(List.of(partition));
            reader.seekToBeginning(List.of(partition));
            long end = reader.endOffsets(List.of(partition)).get(partition);
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (reader.position(partition) < end) {
                assertTrue(System.nanoTime() < deadline, "the reader never reached the end: an open transaction?");
                for (ConsumerRecord<String, String> record : reader.poll(Duration.ofMillis(200))) {
                    keys.add(record.key());
                }
            }
        }
        return keys;
    }
}
