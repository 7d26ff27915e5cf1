package io.llmlb.health.ingest.limit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class HeartbeatThrottleTest {

    private Instant now = Instant.parse("2026-12-01T00:00:00Z");
    private final Clock clock = new Clock() {
        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    };

    @Test
    void burstGoesThroughThenTheNodeWaitsOneRefillInterval() {
        HeartbeatThrottle throttle = new HeartbeatThrottle(new HeartbeatRateLimit(30, 10), clock);
        for (int i = 0; i < 10; i++) {
            assertEquals(Optional.empty(), throttle.acquire("node-1"), "heartbeat " + i);
        }
        assertEquals(Optional.of(Duration.ofSeconds(2)), throttle.acquire("node-1"));
        // Refused heartbeats take nothing: the wait does not grow while a client hammers.
        assertEquals(Optional.of(Duration.ofSeconds(2)), throttle.acquire("node-1"));
        assertEquals(Optional.empty(), throttle.acquire("node-2"), "each node has its own bucket");

        now = now.plusSeconds(2);
        assertEquals(Optional.empty(), throttle.acquire("node-1"));
        assertTrue(throttle.acquire("node-1").isPresent());
    }

    @Test
    void nodeAtTheSeedsFastestPeriodWithRetriesIsNeverThrottledByTheDefault() {
        HeartbeatThrottle throttle = new HeartbeatThrottle(HeartbeatRateLimit.defaults(), clock);
        for (int beat = 0; beat < 8640; beat++) { // a day at 10 s
            assertEquals(Optional.empty(), throttle.acquire("node-1"));
            if (beat % 100 == 0) {
                // now and then a failed heartbeat and three quick retries (the agent's backoff starts at 1 s)
                for (int retry = 0; retry < 3; retry++) {
                    now = now.plusSeconds(1);
                    assertEquals(Optional.empty(), throttle.acquire("node-1"));
                }
            }
            now = now.plusSeconds(10);
        }
    }

    @Test
    void floodIsHeldToTheConfiguredRate() {
        HeartbeatThrottle throttle = new HeartbeatThrottle(new HeartbeatRateLimit(30, 10), clock);
        int accepted = 0;
        for (int i = 0; i < 60_000; i++) { // 1,000 a second for a minute
            if (throttle.acquire("node-1").isEmpty()) {
                accepted++;
            }
            now = now.plusMillis(1);
        }
        // The burst at once, then one every 2 s: at 2, 4, ..., 58 s.
        assertEquals(10 + 29, accepted);
    }
}
