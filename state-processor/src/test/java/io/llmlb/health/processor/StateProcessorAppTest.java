package io.llmlb.health.processor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.llmlb.health.processor.config.StateProcessorConfig;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;

class StateProcessorAppTest {

    @Test
    void failoverAndThreadSettingsReachTheStreamsClients() {
        StateProcessorConfig config = StateProcessorConfig.fromEnv(Map.of(
                "LLMLB_SESSION_TIMEOUT", "3", "LLMLB_TRANSACTION_TIMEOUT", "4", "LLMLB_STREAM_THREADS", "2"));

        Properties props = StateProcessorApp.streamsProperties(config);

        assertEquals(StreamsConfig.EXACTLY_ONCE_V2, props.get(StreamsConfig.PROCESSING_GUARANTEE_CONFIG));
        assertEquals(3_000, props.get(StreamsConfig.consumerPrefix(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG)));
        assertEquals(4_000, props.get(StreamsConfig.producerPrefix(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG)));
        assertEquals(2, props.get(StreamsConfig.NUM_STREAM_THREADS_CONFIG));
    }

    @Test
    void aMassExpiryLeavesInLz4BatchesOfAQuarterMebibyteNotKafkasSixteenKibibytes() {
        Properties props = StateProcessorApp.streamsProperties(StateProcessorConfig.fromEnv(Map.of()));

        assertEquals(256 * 1024, props.get(StreamsConfig.producerPrefix(ProducerConfig.BATCH_SIZE_CONFIG)));
        assertEquals(5, props.get(StreamsConfig.producerPrefix(ProducerConfig.LINGER_MS_CONFIG)));
        assertEquals("lz4", props.get(StreamsConfig.producerPrefix(ProducerConfig.COMPRESSION_TYPE_CONFIG)));
    }

    @Test
    void batchesShrinkSoThatOneOpenBatchPerPartitionAndTopicFitsTheProducerBuffer() {
        assertEquals(256 * 1024, StateProcessorApp.batchBytes(18));
        // 32 MiB shared by 7 topics of 64 partitions: 74,898 bytes each.
        assertEquals(74_898, StateProcessorApp.batchBytes(64));
        assertEquals(16 * 1024, StateProcessorApp.batchBytes(1024));
        Properties props = StateProcessorApp.streamsProperties(
                StateProcessorConfig.fromEnv(Map.of("LLMLB_PARTITIONS", "64")));
        assertEquals(74_898, props.get(StreamsConfig.producerPrefix(ProducerConfig.BATCH_SIZE_CONFIG)));
    }

    @Test
    void kafkaStreamsNamesItsClientsAfterTheProcessSoTheFencerCanTellMembersApart() {
        Properties props = StateProcessorApp.streamsProperties(StateProcessorConfig.fromEnv(Map.of()));

        assertFalse(props.containsKey(StreamsConfig.CLIENT_ID_CONFIG), props.toString());
    }
}
