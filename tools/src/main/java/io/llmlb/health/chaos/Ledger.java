package io.llmlb.health.chaos;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;

/**
 * What the fleet saw, per node: heartbeats sent, heartbeats answered 200 (the ones that must never
 * be lost), and every failure with its kind and time; plus, per node, each stretch of failures
 * from the first error to the next 200.
 */
final class Ledger {

    /** A node saw errors from {@code startMillis} until a 200 at {@code endMillis}. */
    record ErrorStreak(int node, long startMillis, long endMillis) {
        long millis() {
            return endMillis - startMillis;
        }
    }

    /**
     * A node waited from {@code startMillis}, when it sent a heartbeat, until a 200 at
     * {@code endMillis}: through errors and retries, or one slow answer. Only waits of a second or
     * more are kept.
     */
    record Wait(int node, long startMillis, long endMillis) {
        long millis() {
            return endMillis - startMillis;
        }
    }

    /** Shorter waits are the normal round trip and not kept. */
    private static final long WAIT_KEPT_MILLIS = 1_000;

    /** One failed heartbeat. */
    record Failure(long atMillis, String kind) {
    }

    private final AtomicLongArray sent;
    private final AtomicLongArray answered200;
    /** Per node, when its latest 200 came; 0 before the first. */
    private final AtomicLongArray last200At;
    private final AtomicLongArray streakStart;
    /** Per node, when the oldest heartbeat not yet followed by a 200 was sent; 0 when none is. */
    private final AtomicLongArray waitingSince;
    private final List<Wait> waits = new ArrayList<>();
    private final List<ErrorStreak> streaks = new ArrayList<>();
    private final List<Failure> failures = new ArrayList<>();
    private final Map<Long, LongAdder> errorsBySecond = new ConcurrentHashMap<>();

    Ledger(int nodes) {
        this.sent = new AtomicLongArray(nodes);
        this.answered200 = new AtomicLongArray(nodes);
        this.last200At = new AtomicLongArray(nodes);
        this.streakStart = new AtomicLongArray(nodes);
        this.waitingSince = new AtomicLongArray(nodes);
    }

    void sent(int node, long nowMillis) {
        sent.incrementAndGet(node);
        waitingSince.compareAndSet(node, 0, nowMillis);
    }

    void ok(int node, long nowMillis) {
        answered200.incrementAndGet(node);
        last200At.accumulateAndGet(node, nowMillis, Math::max);
        endWaitAndStreak(node, nowMillis);
    }

    /**
     * The node stopped sending (silenced, or the fleet paused): what it was waiting for ends here,
     * unanswered. Without this, a node silenced while it waited counted its whole silence as a wait.
     */
    void stoppedSending(int node, long nowMillis) {
        endWaitAndStreak(node, nowMillis);
    }

    private void endWaitAndStreak(int node, long nowMillis) {
        long waitStart = waitingSince.getAndSet(node, 0);
        if (waitStart != 0 && nowMillis - waitStart >= WAIT_KEPT_MILLIS) {
            synchronized (waits) {
                waits.add(new Wait(node, waitStart, nowMillis));
            }
        }
        long start = streakStart.getAndSet(node, 0);
        if (start != 0) {
            synchronized (streaks) {
                streaks.add(new ErrorStreak(node, start, nowMillis));
            }
        }
    }

    void failed(int node, long nowMillis, String kind) {
        streakStart.compareAndSet(node, 0, nowMillis);
        errorsBySecond.computeIfAbsent(nowMillis / 1000, second -> new LongAdder()).increment();
        synchronized (failures) {
            failures.add(new Failure(nowMillis, kind));
        }
    }

    long sentTo(int node) {
        return sent.get(node);
    }

    /** When {@code node}'s latest 200 came (0: never); the server saw that heartbeat just before. */
    long last200At(int node) {
        return last200At.get(node);
    }

    long answered200(int node) {
        return answered200.get(node);
    }

    long totalSent() {
        long total = 0;
        for (int i = 0; i < sent.length(); i++) {
            total += sent.get(i);
        }
        return total;
    }

    long total200() {
        long total = 0;
        for (int i = 0; i < answered200.length(); i++) {
            total += answered200.get(i);
        }
        return total;
    }

    long totalFailures() {
        synchronized (failures) {
            return failures.size();
        }
    }

    long errorsInSecond(long epochSecond) {
        LongAdder count = errorsBySecond.get(epochSecond);
        return count == null ? 0 : count.sum();
    }

    /** Failures by kind between two instants. */
    Map<String, Long> failuresBetween(long fromMillis, long toMillis) {
        Map<String, Long> kinds = new TreeMap<>();
        synchronized (failures) {
            for (Failure failure : failures) {
                if (failure.atMillis() >= fromMillis && failure.atMillis() < toMillis) {
                    kinds.merge(failure.kind(), 1L, Long::sum);
                }
            }
        }
        return kinds;
    }

    /** Error streaks that started between two instants. */
    List<ErrorStreak> streaksBetween(long fromMillis, long toMillis) {
        synchronized (streaks) {
            return streaks.stream().filter(s -> s.startMillis() >= fromMillis && s.startMillis() < toMillis).toList();
        }
    }

    /** Waits for a 200 of a second or more that ended between two instants. */
    List<Wait> waitsEndingBetween(long fromMillis, long toMillis) {
        synchronized (waits) {
            return waits.stream().filter(w -> w.endMillis() >= fromMillis && w.endMillis() < toMillis).toList();
        }
    }

    /** Nodes whose errors have not ended with a 200 yet. */
    int nodesInError() {
        int count = 0;
        for (int i = 0; i < streakStart.length(); i++) {
            if (streakStart.get(i) != 0) {
                count++;
            }
        }
        return count;
    }
}
