package io.llmlb.health.ingest;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * Whether this replica can store heartbeats: readiness is down while every write (heartbeats and
 * the input ticks written every second) has failed for {@link #FAILING_FOR}. The ticks keep
 * probing when no node sends anything, so readiness also comes back on its own.
 */
public final class WriteHealth {

    /** Failing writes for this long, with no success in between, make the replica not ready. */
    public static final Duration FAILING_FOR = Duration.ofSeconds(3);

    private final Clock clock;
    private volatile Instant lastSuccess;
    private volatile Instant firstFailureSinceSuccess;

    public WriteHealth(Clock clock) {
        this.clock = clock;
    }

    /** A write was acknowledged. */
    public void succeeded() {
        lastSuccess = clock.instant();
        firstFailureSinceSuccess = null;
    }

    /** A write failed or was not acknowledged in time. */
    public void failed() {
        if (firstFailureSinceSuccess == null) {
            firstFailureSinceSuccess = clock.instant();
        }
    }

    /** Whether writes keep failing. */
    public boolean isFailing() {
        Instant failingSince = firstFailureSinceSuccess;
        return failingSince != null && !clock.instant().isBefore(failingSince.plus(FAILING_FOR));
    }

    /** When a write last succeeded, or null. */
    public Instant lastSuccess() {
        return lastSuccess;
    }
}
