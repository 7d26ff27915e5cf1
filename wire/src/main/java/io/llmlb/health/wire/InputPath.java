package io.llmlb.health.wire;

import java.time.Duration;

/**
 * The timing contract between ingest, which writes {@link InputTick}s, and the state-processor,
 * which reads them: in one place because each number only makes sense next to the others.
 */
public final class InputPath {

    /** {@code LLMLB_HEALTH_CHECK_INTERVAL}: read by the state-processor (its sweep) and by ingest (its ticks). */
    public static final String CHECK_INTERVAL_VARIABLE = "LLMLB_HEALTH_CHECK_INTERVAL";
    /** The seed's default check interval. */
    public static final Duration DEFAULT_CHECK_INTERVAL = Duration.ofSeconds(10);
    /** The shortest check interval: below it the exactly-once commits and ticks would cost more than they buy. */
    public static final Duration MIN_CHECK_INTERVAL = Duration.ofMillis(100);
    /** The seed's longest check interval. */
    public static final Duration MAX_CHECK_INTERVAL = Duration.ofSeconds(60);

    /** How often every ingest replica ticks every partition at check intervals of 2 s and more. */
    public static final Duration TICK_INTERVAL = Duration.ofSeconds(1);

    /**
     * How long ingest's producer may try to store a heartbeat before the request is answered 503.
     * Below the gateway's read timeout, so a node always gets an answer, and short enough that a
     * node retries while its deadline is still far.
     */
    public static final Duration DELIVERY_TIMEOUT = Duration.ofSeconds(6);

    /**
     * A gap between consecutive ticks of a partition longer than this is an outage of the input
     * path (broker unreachable, all ingest replicas down, the whole stack stopped): three missed
     * ticks at the longest tick interval, so a GC pause or a slow acknowledgement is not one. It
     * does not shrink with a faster tick: an outage defers the verdicts of every node silent
     * during it by a whole timeout, so a 0.3 s pause of ingest must not count as one; nodes cannot
     * tell a 3 s gap from a slow answer either (they retry within their own interval).
     */
    public static final Duration OUTAGE_GAP = Duration.ofSeconds(3);

    /**
     * How long a replica whose ticks stopped may still hold a heartbeat that will be stored: its
     * producer gives up after {@link #DELIVERY_TIMEOUT}. Until then the processor waits for it
     * before judging; after that the replica is considered gone.
     */
    public static final Duration IN_FLIGHT_BOUND = DELIVERY_TIMEOUT.plusSeconds(1);

    private InputPath() {
    }

    /** {@value #CHECK_INTERVAL_VARIABLE} from the environment: seconds with up to 3 decimals, 0.1..60, default 10. */
    public static Duration checkInterval(EnvReader env) {
        return env.decimalSeconds(CHECK_INTERVAL_VARIABLE, DEFAULT_CHECK_INTERVAL, MIN_CHECK_INTERVAL,
                MAX_CHECK_INTERVAL);
    }

    /**
     * How often ingest ticks for a given check interval: {@link #TICK_INTERVAL}, or half the
     * interval when that is shorter. A deadline is judged at the first sweep after a tick passed
     * it, so the verdict waits up to one tick plus one sweep; half an interval keeps that within
     * 1.5 intervals. Ticks per second = ingest replicas x heartbeat partitions / tick interval.
     */
    public static Duration tickInterval(Duration checkInterval) {
        Duration half = checkInterval.dividedBy(2);
        return half.compareTo(TICK_INTERVAL) < 0 ? half : TICK_INTERVAL;
    }
}
