package io.llmlb.health.ingest;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Readiness of ingest's writes: down only while writes keep failing, back with the first success. */
class WriteHealthTest {

    private final InFlightHeartbeatsTest.MutableClock clock =
            new InFlightHeartbeatsTest.MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    private final WriteHealth health = new WriteHealth(clock);

    @Test
    void oneFailureIsNotFailing() {
        health.succeeded();
        health.failed();

        assertFalse(health.isFailing());
    }

    @Test
    void failuresWithoutSuccessForThreeSecondsAreFailingUntilTheNextSuccess() {
        health.failed();
        clock.advance(WriteHealth.FAILING_FOR.minusMillis(1));
        health.failed();
        assertFalse(health.isFailing());

        clock.advance(Duration.ofMillis(1));
        assertTrue(health.isFailing());

        health.succeeded();
        assertFalse(health.isFailing());
    }
}
