package io.llmlb.health.wire;

import java.time.Duration;

/**
 * The timing contract between ingest, which writes {@link InputTick}s, and the state-processor,
 * which reads them: in one place because each number only makes sense next to the others.
 */
public final class InputPath {

    /** How often every ingest replica ticks every partition of the heartbeats topic. */
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
     * ticks, so a GC pause or a slow acknowledgement is not one.
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
}
