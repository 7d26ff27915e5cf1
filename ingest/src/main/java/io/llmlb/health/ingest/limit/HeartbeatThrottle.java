package io.llmlb.health.ingest.limit;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The per-node token buckets of {@link HeartbeatRateLimit}. Keyed by the node the presented token
 * belongs to (pending nodes included), so the map holds at most one entry per registered node.
 * A bucket is kept as the time at which it would be empty ("theoretical arrival time", GCRA):
 * one long per node, updated atomically, no timer.
 */
public final class HeartbeatThrottle {

    private final long intervalNanos;
    private final long burstNanos;
    private final Clock clock;
    /** Per node: the time (nanoseconds on the clock) before which its allowance is used up. */
    private final Map<String, Long> emptyUntil = new ConcurrentHashMap<>();

    public HeartbeatThrottle(HeartbeatRateLimit limit, Clock clock) {
        this.intervalNanos = limit.refillInterval().toNanos();
        this.burstNanos = intervalNanos * limit.burst();
        this.clock = clock;
    }

    /**
     * Takes one heartbeat's allowance for {@code nodeId}.
     *
     * @return empty when the heartbeat may go through, else how long until it would
     */
    public Optional<Duration> acquire(String nodeId) {
        long now = nanos();
        long[] wait = {0};
        emptyUntil.compute(nodeId, (node, until) -> {
            long start = until == null || until < now ? now : until;
            long next = start + intervalNanos;
            if (next - now > burstNanos) {
                wait[0] = next - now - burstNanos;
                return until; // refused: nothing taken
            }
            return next;
        });
        return wait[0] == 0 ? Optional.empty() : Optional.of(Duration.ofNanos(wait[0]));
    }

    private long nanos() {
        var instant = clock.instant();
        return instant.getEpochSecond() * 1_000_000_000L + instant.getNano();
    }
}
