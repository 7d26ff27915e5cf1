package io.llmlb.health.query.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.helidon.http.Status;
import io.llmlb.health.http.ApiException;
import io.llmlb.health.query.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class LoginThrottleTest {

    private static final String ADDRESS = "192.0.2.10";

    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    private final LoginThrottle throttle = new LoginThrottle("logins", clock);

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
        ApiException refused = assertThrows(ApiException.class, () -> throttle.begin("admin", ADDRESS));
        assertEquals(Status.TOO_MANY_REQUESTS_429, refused.status());
        assertEquals(Duration.ofMinutes(1), refused.retryAfter());
    }

    @Test
    void blockIsPerUsernameAndPerAddress() {
        fail("admin", ADDRESS, 5);

        assertEquals(Optional.empty(), throttle.retryAfter("alice", ADDRESS), "another user from the same address");
        assertEquals(Optional.empty(), throttle.retryAfter("admin", "198.51.100.7"), "the same user from elsewhere");
    }

    @Test
    void freshUserNamesFromOneAddressAreBlockedAfterTheAddressLimit() {
        // Issue 12, item 1: a new user name per guess escaped the per-name count entirely.
        for (int i = 0; i < LoginThrottle.MAX_FAILURES_PER_ADDRESS; i++) {
            fail("fresh-" + i, ADDRESS, 1);
        }

        ApiException refused = assertThrows(ApiException.class, () -> throttle.begin("yet-another-name", ADDRESS));

        assertEquals(Status.TOO_MANY_REQUESTS_429, refused.status());
        assertTrue(refused.getMessage().contains("too many failed logins"), refused.getMessage());
        assertEquals(Optional.empty(), throttle.retryAfter("admin", "198.51.100.7"), "other addresses are not blocked");
    }

    @Test
    void fortySimultaneousGuessesLetNoMoreThanTheLimitThrough() throws Exception {
        // Issue 12, item 6: checking before and recording after the slow password check let 6 of 40 through.
        int guessers = 40;
        CountDownLatch start = new CountDownLatch(1);
        CountDownLatch allChecked = new CountDownLatch(guessers);
        AtomicInteger admitted = new AtomicInteger();
        List<Future<?>> guesses = new ArrayList<>();
        try (ExecutorService threads = Executors.newFixedThreadPool(guessers)) {
            for (int i = 0; i < guessers; i++) {
                guesses.add(threads.submit(() -> {
                    start.await();
                    try {
                        throttle.begin("admin", ADDRESS);
                        admitted.incrementAndGet();
                    } catch (ApiException refused) {
                        assertEquals(Status.TOO_MANY_REQUESTS_429, refused.status());
                    } finally {
                        allChecked.countDown();
                    }
                    // The wrong password is found only after every guess got past (or not past) the check.
                    allChecked.await();
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> guess : guesses) {
                guess.get();
            }
        }

        assertEquals(LoginThrottle.MAX_FAILURES_PER_NAME, admitted.get());
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
    void successForgetsEarlierFailuresAndIsNotCountedAsOne() {
        fail("admin", ADDRESS, 4);
        throttle.begin("admin", ADDRESS).succeeded();
        fail("admin", ADDRESS, 4);

        assertEquals(Optional.empty(), throttle.retryAfter("admin", ADDRESS));
        for (int i = 0; i < 3 * LoginThrottle.MAX_FAILURES_PER_ADDRESS; i++) {
            throttle.begin("user-" + i, ADDRESS).succeeded();
        }
        assertEquals(Optional.empty(), throttle.retryAfter("admin", ADDRESS), "successes never block an address");
    }

    @Test
    void usernameAndAddressCannotBeCombinedToCollideWithAnotherKey() {
        fail("ad", "min" + ADDRESS, 5);

        assertEquals(Optional.empty(), throttle.retryAfter("admin", ADDRESS));
    }

    @Test
    void guessingWithEverNewNamesDoesNotGrowMemoryWithoutBound() {
        for (int i = 0; i < LoginThrottle.MAX_TRACKED_KEYS; i++) {
            // 500 addresses, each at its limit of 20
            fail("guess-" + i, "10.1." + (i % 500 / 100) + "." + (i % 100), 1);
        }
        clock.advance(LoginThrottle.WINDOW.plusSeconds(1));

        fail("one-more", "203.0.113.9", 1);

        assertEquals(2, throttle.trackedKeys(), "aged-out keys were forgotten: one name key, one address key");
    }

    private void fail(String username, String address, int times) {
        for (int i = 0; i < times; i++) {
            throttle.begin(username, address);
        }
    }
}
