package io.llmlb.health.query.view;

import io.llmlb.health.wire.NodeState;
import java.util.List;
import java.util.Optional;

/**
 * Read access to materialised node state. The Kafka Streams implementation throws
 * {@link io.llmlb.health.kafka.UnavailableException} (answered 503) while its
 * store is not ready; HTTP tests use an in-memory fake.
 */
public interface NodeStateReader {

    /** Every node, ordered by id. */
    List<NodeState> all();

    /** One node. */
    Optional<NodeState> find(String nodeId);
}
