package io.llmlb.health.ingest;

import io.llmlb.health.wire.Heartbeat;

/** Where accepted heartbeats go. The Kafka implementation returns only once the broker acknowledged. */
public interface HeartbeatSink {

    /**
     * Stores {@code heartbeat} durably.
     *
     * @throws io.llmlb.health.http.ApiException 503 when it could not be stored
     */
    void publish(Heartbeat heartbeat);
}
