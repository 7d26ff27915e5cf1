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
    static final int MAX_TRACKED_KEYS = 10_000;

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
        if (failuresByKey.size() >= MAX_TRACKED_KEYS) {
            forgetExpired();
        }
        Deque<Instant> failures = failuresByKey.computeIfAbsent(key(username, address), k -> new ArrayDeque<>());
        synchronized (failures) {
            Instant now = clock.instant();
            prune(failures, now);
            failures.addLast(now);
        }
    }

    /**
     * Drops the keys whose failures all aged out, so guessing with ever new user names cannot grow
     * the map without bound; only keys with a failure in the last minute are kept.
     */
    private void forgetExpired() {
        Instant now = clock.instant();
        failuresByKey.entrySet().removeIf(entry -> {
            synchronized (entry.getValue()) {
                prune(entry.getValue(), now);
                return entry.getValue().isEmpty();
            }
        });
    }

    /** Forgets the failures after a successful login. */
    public void recordSuccess(String username, String address) {
        failuresByKey.remove(key(username, address));
    }

    /** How many (user name, address) pairs are tracked now. */
    int trackedKeys() {
        return failuresByKey.size();
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
