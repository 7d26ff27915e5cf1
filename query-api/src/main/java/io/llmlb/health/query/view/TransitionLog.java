package io.llmlb.health.query.view;

import io.llmlb.health.wire.StateChange;
import java.util.List;

/** A node's recent transitions, oldest first; {@link TransitionHistory} reads them from Kafka. */
public interface TransitionLog {

    /** The node's recent transitions, oldest first; empty for an unknown node. */
    List<StateChange> recent(String nodeId);
}
