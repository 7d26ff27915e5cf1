package io.llmlb.health.query.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class LoginThrottleTest {

    private static final String ADDRESS = "192.0.2.10";

    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    private final LoginThrottle throttle = new LoginThrottle(clock);

    @Test
    void fourFailuresStillAllowAnotherTry() {
        fail("admin", ADDRESS, 4);

        assertEquals(Optional.empty(), throttle.retryAfter("admin", ADDRESS));
    }

    @Test
    void fiveFailuresWithinAMinuteBlockTheUserFromThatAddress() {
        fail("admin", ADDRESS, 5);

        Optional<Duration> wait = throttle.retryAfter("admin", ADDRESS);

        assertTrue(wait.isPresent());
        assertEquals(Duration.ofMinutes(1), wait.get(), "the oldest failure ages out one minute after it happened");
    }

    @Test
    void blockIsPerUsernameAndPerAddress() {
        fail("admin", ADDRESS, 5);

        assertEquals(Optional.empty(), throttle.retryAfter("alice", ADDRESS), "another user from the same address");
        assertEquals(Optional.empty(), throttle.retryAfter("admin", "198.51.100.7"), "the same user from elsewhere");
    }

    @Test
    void waitShrinksAndEndsWhenTheOldestFailureAgesOut() {
        fail("admin", ADDRESS, 1);
        clock.advance(Duration.ofSeconds(20));
        fail("admin", ADDRESS, 4);

        assertEquals(Optional.of(Duration.ofSeconds(40)), throttle.retryAfter("admin", ADDRESS));
        clock.advance(Duration.ofSeconds(39));
        assertEquals(Optional.of(Duration.ofSeconds(1)), throttle.retryAfter("admin", ADDRESS));
        clock.advance(Duration.ofSeconds(1));
        assertEquals(Optional.empty(), throttle.retryAfter("admin", ADDRESS),
                "four failures left in the window: one more try is allowed");
    }

    @Test
    void failuresSpreadOverMoreThanAMinuteNeverBlock() {
        for (int i = 0; i < 20; i++) {
            fail("admin", ADDRESS, 1);
            clock.advance(Duration.ofSeconds(15));
        }

        assertEquals(Optional.empty(), throttle.retryAfter("admin", ADDRESS));
    }

    @Test
    void successForgetsEarlierFailures() {
        fail("admin", ADDRESS, 4);
        throttle.recordSuccess("admin", ADDRESS);
        fail("admin", ADDRESS, 4);

        assertEquals(Optional.empty(), throttle.retryAfter("admin", ADDRESS));
    }

    @Test
    void usernameAndAddressCannotBeCombinedToCollideWithAnotherKey() {
        fail("ad", "min" + ADDRESS, 5);

        assertEquals(Optional.empty(), throttle.retryAfter("admin", ADDRESS));
    }

    private void fail(String username, String address, int times) {
        for (int i = 0; i < times; i++) {
            throttle.recordFailure(username, address);
        }
    }

    @Test
    void guessingWithEverNewNamesDoesNotGrowMemoryWithoutBound() {
        for (int i = 0; i < LoginThrottle.MAX_TRACKED_KEYS; i++) {
            throttle.recordFailure("guess-" + i, "203.0.113.9");
        }
        clock.advance(LoginThrottle.WINDOW.plusSeconds(1));

        throttle.recordFailure("one-more", "203.0.113.9");

        assertEquals(1, throttle.trackedKeys(), "aged-out keys were forgotten");
    }

    /** A clock the test moves by hand. */
    static final class MutableClock extends Clock {

        private Instant now;

        MutableClock(Instant start) {
            this.now = start;
        }

        void advance(Duration by) {
            now = now.plus(by);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }
}
