package io.llmlb.health.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class BackoffTest {

    private final Backoff backoff = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(60), new SplittableRandom(7));

    @Test
    void ceilingDoublesPerFailureUpToTheCap() {
        assertEquals(Duration.ofSeconds(1), backoff.ceiling(1));
        assertEquals(Duration.ofSeconds(2), backoff.ceiling(2));
        assertEquals(Duration.ofSeconds(32), backoff.ceiling(6));
        assertEquals(Duration.ofSeconds(60), backoff.ceiling(7));
        assertEquals(Duration.ofSeconds(60), backoff.ceiling(10_000));
    }

    @Test
    void delaysAreFullJitterBetweenZeroAndTheCeiling() {
        long[] delays = IntStream.range(0, 10_000).mapToLong(i -> backoff.delay(5, null).toMillis()).toArray();

        long min = IntStream.range(0, delays.length).mapToLong(i -> delays[i]).min().orElseThrow();
        long max = IntStream.range(0, delays.length).mapToLong(i -> delays[i]).max().orElseThrow();
        double mean = IntStream.range(0, delays.length).mapToLong(i -> delays[i]).average().orElseThrow();
        // Uniform on [0, 16 s]: spread over the whole range, centred on the middle.
        assertTrue(min < 500, "min " + min);
        assertTrue(max > 15_500 && max <= 16_000, "max " + max);
        assertEquals(8_000, mean, 300);
    }

    @Test
    void retryAfterIsAFloorWithSpreadOnTop() {
        for (int i = 0; i < 1_000; i++) {
            long delay = backoff.delay(1, Duration.ofSeconds(5)).toMillis();
            assertTrue(delay >= 5_000 && delay <= 7_500, "delay " + delay);
        }
    }

    @Test
    void longBackoffWinsOverAShortRetryAfter() {
        long longest = IntStream.range(0, 1_000)
                .mapToLong(i -> backoff.delay(8, Duration.ofSeconds(1)).toMillis()).max().orElseThrow();

        assertTrue(longest > 30_000, "longest " + longest);
    }

    @Test
    void retryAfterIsReadAsSecondsOrHttpDateAndCapped() {
        Instant now = Instant.parse("2025-01-01T12:00:00Z");

        assertEquals(Duration.ofSeconds(5), HeartbeatClient.retryAfter("5", now).orElseThrow());
        assertEquals(Duration.ofSeconds(30), HeartbeatClient.retryAfter("Wed, 01 Jan 2025 12:00:30 GMT", now).orElseThrow());
        assertEquals(Duration.ZERO, HeartbeatClient.retryAfter("Wed, 01 Jan 2025 11:00:00 GMT", now).orElseThrow());
        assertEquals(HeartbeatClient.MAX_RETRY_AFTER, HeartbeatClient.retryAfter("86400", now).orElseThrow());
        assertTrue(HeartbeatClient.retryAfter("soon", now).isEmpty());
    }
}
