package io.llmlb.health.agent;

import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * Retry delays: exponential with full jitter (a uniform draw between zero and a ceiling that
 * doubles per failure, up to a cap), so a fleet that lost its server at the same moment does not
 * come back at the same moment. A server's {@code Retry-After} is a floor, never shortened; a
 * spread of up to half of it is added on top, for the same reason.
 */
public final class Backoff {

    private final Duration base;
    private final Duration cap;
    private final RandomGenerator random;

    public Backoff(Duration base, Duration cap, RandomGenerator random) {
        if (base.isNegative() || base.isZero() || cap.compareTo(base) < 0) {
            throw new IllegalArgumentException("need 0 < base <= cap");
        }
        this.base = base;
        this.cap = cap;
        this.random = random;
    }

    /** The ceiling of the draw after {@code failures} consecutive failures (1 for the first). */
    public Duration ceiling(int failures) {
        int doublings = Math.max(0, Math.min(failures - 1, 30));
        long millis = base.toMillis() << doublings;
        return millis <= 0 || millis > cap.toMillis() ? cap : Duration.ofMillis(millis);
    }

    /**
     * How long to wait after {@code failures} consecutive failures.
     *
     * @param retryAfter what the server asked for (503/429), or null
     */
    public Duration delay(int failures, Duration retryAfter) {
        long jittered = random.nextLong(ceiling(failures).toMillis() + 1);
        if (retryAfter == null || retryAfter.isNegative() || retryAfter.isZero()) {
            return Duration.ofMillis(jittered);
        }
        long floor = retryAfter.toMillis();
        long spread = random.nextLong(floor / 2 + 1);
        return Duration.ofMillis(Math.max(floor + spread, jittered));
    }
}
