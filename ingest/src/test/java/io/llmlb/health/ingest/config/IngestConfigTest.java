package io.llmlb.health.ingest.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.llmlb.health.wire.ConfigException;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Ingest learns its tick pace from the state-processor's check interval, the same variable. */
class IngestConfigTest {

    @Test
    void ticksEverySecondAtTheSeedsDefaultInterval() {
        assertEquals(Duration.ofSeconds(1), IngestConfig.fromEnv(Map.of()).tickInterval());
    }

    @Test
    void ticksEveryHalfIntervalBelowTwoSeconds() {
        IngestConfig config = IngestConfig.fromEnv(Map.of("LLMLB_HEALTH_CHECK_INTERVAL", "0.1"));

        assertEquals(Duration.ofMillis(50), config.tickInterval());
        assertEquals(Duration.ofMillis(125), config.withCheckInterval(Duration.ofMillis(250)).tickInterval());
    }

    @Test
    void badCheckIntervalStopsIngestTooNamingTheVariable() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> IngestConfig.fromEnv(Map.of("LLMLB_HEALTH_CHECK_INTERVAL", "0.01")));

        assertTrue(e.getMessage().contains("LLMLB_HEALTH_CHECK_INTERVAL=0.01"), e.getMessage());
        assertTrue(e.getMessage().contains("0.1..60"), e.getMessage());
    }
}
