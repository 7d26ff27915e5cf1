package io.llmlb.health.query.view;

import io.llmlb.health.wire.StateChange;
import java.util.List;

/** A node's recent transitions, oldest first; {@link TransitionHistory} reads them from Kafka. */
public interface TransitionLog {

    /** No history at all (tests that do not look at transitions). */
    TransitionLog NONE = nodeId -> List.of();

    /** The node's recent transitions, oldest first; empty for an unknown node. */
    List<StateChange> recent(String nodeId);
}
