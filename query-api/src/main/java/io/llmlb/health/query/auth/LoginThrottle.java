package io.llmlb.health.query.auth;

import io.llmlb.health.http.ApiException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Slows guessing (passwords, the enrollment key). Within {@link #WINDOW}, one address may fail
 * {@value #MAX_FAILURES_PER_NAME} times for one name and {@value #MAX_FAILURES_PER_ADDRESS} times
 * over all names (so fresh user names buy an attacker nothing); beyond either, attempts are refused
 * with 429 until the oldest failure ages out.
 *
 * <p>Checking and recording are one step: {@link #begin} counts the attempt as a failure before the
 * password is checked, and {@link Attempt#succeeded()} takes it back. Checking first and recording
 * after the (slow) password check let every one of 40 simultaneous guesses past the check.
 */
public final class LoginThrottle {

    static final int MAX_FAILURES_PER_NAME = 5;
    static final int MAX_FAILURES_PER_ADDRESS = 20;
    static final Duration WINDOW = Duration.ofMinutes(1);
    static final int MAX_TRACKED_KEYS = 10_000;

    /** What is being guessed, for the 429's message: "logins", "enrollment keys". */
    private final String guessing;
    private final Clock clock;
    private final Map<String, Deque<Instant>> failuresByKey = new HashMap<>();

    public LoginThrottle(String guessing, Clock clock) {
        this.guessing = guessing;
        this.clock = clock;
    }

    /** One attempt, already counted as a failure until it {@link #succeeded()}. */
    public final class Attempt {
        private final String nameKey;
        private final String addressKey;
        private final Instant at;

        private Attempt(String nameKey, String addressKey, Instant at) {
            this.nameKey = nameKey;
            this.addressKey = addressKey;
            this.at = at;
        }

        /** The guess was right: the name's failures are forgotten, and this attempt is not one. */
        public void succeeded() {
            synchronized (LoginThrottle.this) {
                failuresByKey.remove(nameKey);
                Deque<Instant> addressFailures = failuresByKey.get(addressKey);
                if (addressFailures != null) {
                    addressFailures.removeLastOccurrence(at);
                }
            }
        }

        /** The guess was never judged (the server was too busy to check it): it does not count. */
        public void withdraw() {
            synchronized (LoginThrottle.this) {
                for (String key : new String[] {nameKey, addressKey}) {
                    Deque<Instant> failures = failuresByKey.get(key);
                    if (failures != null) {
                        failures.removeLastOccurrence(at);
                    }
                }
            }
        }
    }

    /**
     * Records an attempt of {@code name} from {@code address}, or refuses it.
     *
     * @throws ApiException 429 with Retry-After when the name or the address has failed too often
     */
    public synchronized Attempt begin(String name, String address) {
        Instant now = clock.instant();
        Optional<Duration> wait = retryAfter(name, address);
        if (wait.isPresent()) {
            throw ApiException.tooManyRequests("too many failed " + guessing + " from " + address
                    + "; try again later", wait.get());
        }
        if (failuresByKey.size() >= MAX_TRACKED_KEYS) {
            forgetExpired(now);
        }
        String nameKey = nameKey(name, address);
        String addressKey = addressKey(address);
        failuresByKey.computeIfAbsent(nameKey, key -> new ArrayDeque<>()).addLast(now);
        failuresByKey.computeIfAbsent(addressKey, key -> new ArrayDeque<>()).addLast(now);
        return new Attempt(nameKey, addressKey, now);
    }

    /** How long {@code name} from {@code address} must wait, or empty when it may try now; records nothing. */
    synchronized Optional<Duration> retryAfter(String name, String address) {
        Instant now = clock.instant();
        Optional<Duration> forName = retryAfter(nameKey(name, address), MAX_FAILURES_PER_NAME, now);
        Optional<Duration> forAddress = retryAfter(addressKey(address), MAX_FAILURES_PER_ADDRESS, now);
        if (forName.isPresent() && forAddress.isPresent()) {
            return Optional.of(forName.get().compareTo(forAddress.get()) >= 0 ? forName.get() : forAddress.get());
        }
        return forName.or(() -> forAddress);
    }

    private static String nameKey(String name, String address) {
        return "name\u0000" + name + "\u0000" + address;
    }

    private static String addressKey(String address) {
        return "address\u0000" + address;
    }

    private Optional<Duration> retryAfter(String key, int limit, Instant now) {
        Deque<Instant> failures = failuresByKey.get(key);
        if (failures == null) {
            return Optional.empty();
        }
        prune(failures, now);
        if (failures.size() < limit) {
            return Optional.empty();
        }
        return Optional.of(Duration.between(now, failures.peekFirst().plus(WINDOW)));
    }

    /**
     * Drops the keys whose failures all aged out, so guessing with ever new user names cannot grow
     * the map without bound; only keys with a failure in the last minute are kept.
     */
    private void forgetExpired(Instant now) {
        failuresByKey.values().removeIf(failures -> {
            prune(failures, now);
            return failures.isEmpty();
        });
    }

    /** How many keys (name and address pairs, and addresses) are tracked now. */
    synchronized int trackedKeys() {
        return failuresByKey.size();
    }

    private static void prune(Deque<Instant> failures, Instant now) {
        while (!failures.isEmpty() && !failures.peekFirst().plus(WINDOW).isAfter(now)) {
            failures.removeFirst();
        }
    }
}
