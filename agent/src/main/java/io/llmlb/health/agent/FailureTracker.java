package io.llmlb.health.agent;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * Logs failed heartbeats once per kind of failure, not once per attempt, and once more when they
 * succeed again: an agent retrying against a dead server for an hour writes two or three lines.
 */
final class FailureTracker {

    private final AgentLog log;
    private final Clock clock;
    private String currentKind;
    private Instant failingSince;
    private int consecutive;

    FailureTracker(AgentLog log, Clock clock) {
        this.log = log;
        this.clock = clock;
    }

    /** An attempt failed; {@code kind} groups failures that need the same remedy. */
    void failed(String kind, String detail, Duration nextTry) {
        consecutive++;
        if (failingSince == null) {
            failingSince = clock.instant();
        }
        if (!kind.equals(currentKind)) {
            currentKind = kind;
            log.warn("heartbeat failed: " + detail + "; retrying with backoff (next in "
                    + Math.max(1, Math.round(nextTry.toMillis() / 1000.0)) + " s), further failures of this kind are not logged");
        }
    }

    /** An attempt succeeded; says so if it ends a run of failures. */
    void succeeded() {
        if (currentKind != null) {
            long seconds = Duration.between(failingSince, clock.instant()).toSeconds();
            log.info("heartbeats recovered after " + consecutive + " failed attempt" + (consecutive == 1 ? "" : "s")
                    + " over " + seconds + " s");
        }
        currentKind = null;
        failingSince = null;
        consecutive = 0;
    }

    /** Failed attempts since the last success. */
    int consecutiveFailures() {
        return consecutive;
    }
}
