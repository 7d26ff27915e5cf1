package io.llmlb.health.ingest;

import io.llmlb.health.wire.Heartbeat;

/** Where accepted heartbeats go. The Kafka implementation returns only once the broker acknowledged. */
public interface HeartbeatSink {

    /**
     * Stores {@code heartbeat} durably.
     *
     * @throws io.llmlb.health.kafka.UnavailableException when it could not be stored (answered 503)
     */
    void publish(Heartbeat heartbeat);
}
