package io.llmlb.health.processor.topology;

import io.llmlb.health.wire.Heartbeat;

/**
 * Heartbeats of a node the processor has not seen registered yet: how many, and the latest.
 *
 * <p>Ingest accepts a heartbeat as soon as its registry cache knows the token, and Kafka Streams
 * may take the heartbeats partition ahead of the registry partition (it orders the two by the
 * timestamps of what it has fetched, and a slow fetch of the registry leaves that side empty).
 * A heartbeat answered 200 must still be counted, so it waits here for its registration.
 */
record EarlyHeartbeats(long count, Heartbeat latest) {

    static EarlyHeartbeats first(Heartbeat heartbeat) {
        return new EarlyHeartbeats(1, heartbeat);
    }

    EarlyHeartbeats plus(Heartbeat heartbeat) {
        boolean newer = heartbeat.receivedAt().isAfter(latest.receivedAt());
        return new EarlyHeartbeats(count + 1, newer ? heartbeat : latest);
    }

    /** Whether {@code heartbeat} is the gateway's retry of one already held. */
    boolean holds(Heartbeat heartbeat) {
        return heartbeat.requestId() != null && heartbeat.requestId().equals(latest.requestId());
    }
}
