package io.llmlb.health.wire;

import java.time.Duration;
import java.util.Collection;
import java.util.Optional;

/** Read access to the node registry; {@code io.llmlb.health.kafka.RegistryCache} (module kafka) is the Kafka-backed implementation. */
public interface RegistryView {

    /** The registration of {@code nodeId}, if registered. */
    Optional<Registration> byNodeId(String nodeId);

    /** The registration whose token hashes to {@code tokenSha256}, if any. */
    Optional<Registration> byTokenHash(String tokenSha256);

    /** Number of registered nodes. */
    int size();

    /** Every registration, as of now (a copy: later changes do not show in it). */
    Collection<Registration> all();

    /**
     * Waits until every registry change acknowledged before this call is visible, at most
     * {@code timeout}: a node registered (or a token rotated) a moment ago is then known.
     */
    default void awaitFresh(Duration timeout) throws InterruptedException {
        // An in-memory view is always fresh.
    }
}
