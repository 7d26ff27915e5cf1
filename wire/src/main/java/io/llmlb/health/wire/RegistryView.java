package io.llmlb.health.wire;

import java.util.Optional;

/** Read access to the node registry; {@link RegistryCache} is the Kafka-backed implementation. */
public interface RegistryView {

    /** The registration of {@code nodeId}, if registered. */
    Optional<Registration> byNodeId(String nodeId);

    /** The registration whose token hashes to {@code tokenSha256}, if any. */
    Optional<Registration> byTokenHash(String tokenSha256);

    /** Number of registered nodes. */
    int size();
}
