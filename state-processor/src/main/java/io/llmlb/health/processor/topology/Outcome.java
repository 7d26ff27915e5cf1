package io.llmlb.health.processor.topology;

import io.llmlb.health.wire.NodeState;
import io.llmlb.health.wire.StateChange;

/**
 * What one event did to one node.
 *
 * @param next the node's state afterwards; null when the node is gone
 * @param change the transition, or null when the state did not change
 * @param stateChanged whether {@code next} differs from before and must be stored and published
 */
public record Outcome(NodeState next, StateChange change, boolean stateChanged) {

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
}
