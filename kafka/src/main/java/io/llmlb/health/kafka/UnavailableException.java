package io.llmlb.health.kafka;

import java.time.Duration;

/**
 * The system cannot serve this now: Kafka did not acknowledge a write, a store is not ready yet
 * (starting or rebalancing), a written change is not readable yet. The caller's request was fine
 * and may be retried after {@link #retryAfter()}. Kafka code throws this domain exception, never
 * an HTTP one; the HTTP layer answers it with 503 and Retry-After (http-common ErrorHandlers).
 */
public final class UnavailableException extends RuntimeException {

    private final Duration retryAfter;

    /** {@code whatFailed} says what could not be done, for the client and the log. */
    public UnavailableException(String whatFailed, Duration retryAfter) {
        super(whatFailed);
        this.retryAfter = retryAfter;
    }

    /** {@code whatFailed}, caused by {@code cause} (kept for the log, never shown to a client). */
    public UnavailableException(String whatFailed, Duration retryAfter, Throwable cause) {
        super(whatFailed, cause);
        this.retryAfter = retryAfter;
    }

    /** How long the caller should wait before retrying. */
    public Duration retryAfter() {
        return retryAfter;
    }
}
