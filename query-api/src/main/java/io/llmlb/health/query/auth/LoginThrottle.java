package io.llmlb.health.query.auth;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Slows password guessing: after {@value #MAX_FAILURES} failed logins for one user name from one
 * address within {@link #WINDOW}, further attempts are refused until the oldest failure ages out.
 */
public final class LoginThrottle {

    static final int MAX_FAILURES = 5;
    static final Duration WINDOW = Duration.ofMinutes(1);

    private final Map<String, Deque<Instant>> failuresByKey = new ConcurrentHashMap<>();
    private final Clock clock;

    public LoginThrottle(Clock clock) {
        this.clock = clock;
    }

    /** How long {@code username} from {@code address} must wait, or empty when it may try now. */
    public Optional<Duration> retryAfter(String username, String address) {
        Deque<Instant> failures = failuresByKey.get(key(username, address));
        if (failures == null) {
            return Optional.empty();
        }
        synchronized (failures) {
            Instant now = clock.instant();
            prune(failures, now);
            if (failures.size() < MAX_FAILURES) {
                return Optional.empty();
            }
            return Optional.of(Duration.between(now, failures.peekFirst().plus(WINDOW)));
        }
    }

    /** Records a failed login. */
    public void recordFailure(String username, String address) {
        Deque<Instant> failures = failuresByKey.computeIfAbsent(key(username, address), k -> new ArrayDeque<>());
        synchronized (failures) {
            Instant now = clock.instant();
            prune(failures, now);
            failures.addLast(now);
        }
    }

    /** Forgets the failures after a successful login. */
    public void recordSuccess(String username, String address) {
        failuresByKey.remove(key(username, address));
    }

    private static void prune(Deque<Instant> failures, Instant now) {
        while (!failures.isEmpty() && !failures.peekFirst().plus(WINDOW).isAfter(now)) {
            failures.removeFirst();
        }
    }

    private static String key(String username, String address) {
        return username + "\u0000" + address;
    }
}
