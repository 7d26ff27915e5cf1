package io.llmlb.health.processor.topology;

import io.llmlb.health.wire.NodeState;
import io.llmlb.health.wire.StateChange;
import java.util.ArrayList;
import java.util.List;

/**
 * What one event did to one node.
 *
 * @param next the node's state afterwards; null when the node is gone
 * @param change the transition, or null when the state did not change
 * @param stateChanged whether {@code next} differs from before and must be stored and published
 * @param followUp a second transition the first one caused (flapping started), with the next seq; or null
 */
public record Outcome(NodeState next, StateChange change, boolean stateChanged, StateChange followUp) {

    /** An outcome with at most one transition. */
    public Outcome(NodeState next, StateChange change, boolean stateChanged) {
        this(next, change, stateChanged, null);
    }

    /** Nothing happened. */
    public static Outcome unchanged(NodeState current) {
        return new Outcome(current, null, false);
    }

    /** The node's data changed without a transition (a heartbeat while online, metadata). */
    public static Outcome updated(NodeState next) {
        return new Outcome(next, null, true);
    }

    /** A transition. */
    public static Outcome transition(NodeState next, StateChange change) {
        return new Outcome(next, change, true);
    }

    /** The transitions to publish, in seq order. */
    public List<StateChange> changes() {
        List<StateChange> changes = new ArrayList<>(2);
        if (change != null) {
            changes.add(change);
        }
        if (followUp != null) {
            changes.add(followUp);
        }
        return changes;
    }
}
