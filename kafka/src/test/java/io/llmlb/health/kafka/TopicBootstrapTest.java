package io.llmlb.health.kafka;

import io.llmlb.health.wire.EnvReader;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.Map;
import org.junit.jupiter.api.Test;

class TopicBootstrapTest {

    @Test
    void heartbeatsAreRetainedBySizeAsWellAsTime() {
        KafkaSettings settings = KafkaSettings.fromEnv(new EnvReader(Map.of()));
        Map<String, String> config = TopicBootstrap.topicConfig(settings, settings.topics().heartbeats());
        assertEquals("86400000", config.get("retention.ms"));
        assertEquals(String.valueOf(2048L * 1024 * 1024), config.get("retention.bytes"));
        assertFalse(TopicBootstrap.topicConfig(settings, settings.topics().nodeStateChanges()).containsKey("retention.bytes"));
    }

    @Test
    void heartbeatRetentionSizeIsConfigurable() {
        KafkaSettings settings = KafkaSettings.fromEnv(new EnvReader(Map.of("LLMLB_HEARTBEATS_RETENTION_MB", "64")));
        assertEquals(String.valueOf(64L * 1024 * 1024),
                TopicBootstrap.topicConfig(settings, settings.topics().heartbeats()).get("retention.bytes"));
    }
}
