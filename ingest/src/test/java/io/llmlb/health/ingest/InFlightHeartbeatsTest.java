package io.llmlb.health.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/** The watermark a tick carries: never past a heartbeat that is stamped but not yet handed to Kafka. */
class InFlightHeartbeatsTest {

    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    private final InFlightHeartbeats inFlight = new InFlightHeartbeats(clock);

    @Test
    void watermarkIsNowWhenNothingIsInFlight() {
        assertEquals(clock.instant(), inFlight.watermark());
    }

    @Test
    void watermarkStaysAtTheOldestHeartbeatStillInFlight() {
        InFlightHeartbeats.Admission first = inFlight.admit();
        clock.advance(Duration.ofSeconds(2));
        InFlightHeartbeats.Admission second = inFlight.admit();
        clock.advance(Duration.ofSeconds(2));

        assertEquals(first.receivedAt(), inFlight.watermark());
        first.close();
        assertEquals(second.receivedAt(), inFlight.watermark());
        second.close();
        assertEquals(clock.instant(), inFlight.watermark());
    }

    /** A clock the test moves. */
    static final class MutableClock extends Clock {
        private Instant now;

        MutableClock(Instant start) {
            this.now = start;
        }

        void advance(Duration duration) {
            now = now.plus(duration);
        }

        @Override
        public java.time.ZoneId getZone() {
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
    }
}
