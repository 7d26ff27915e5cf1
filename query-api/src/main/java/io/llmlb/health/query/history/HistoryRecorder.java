package io.llmlb.health.query.history;

import io.llmlb.health.query.view.NodeStateFeed;
import io.llmlb.health.wire.StateChange;

/**
 * Feeds the histories: node-state updates (metrics, heartbeat counts) from the live feed,
 * transitions from the changes topic's follower. Runs on those followers' threads; never blocks.
 */
public final class HistoryRecorder implements NodeStateFeed.Subscriber {

    private final NodeMetricHistory nodes;
    private final FleetHistory fleet;

    public HistoryRecorder(NodeMetricHistory nodes, FleetHistory fleet) {
        this.nodes = nodes;
        this.fleet = fleet;
    }

    @Override
    public void update(NodeStateFeed.Update update) {
        if (update.state() == null) {
            nodes.forget(update.nodeId());
            return;
        }
        long received = nodes.record(update.state());
        if (received > 0 && update.state().lastSeen() != null) {
            fleet.onHeartbeats(update.state().lastSeen(), received);
        }
    }

    @Override
    public void ended() {
        // The feed stopped: readiness reports it; the histories keep what they have.
    }

    /** One transition from {@code node-state-changes}. */
    public void onTransition(StateChange change) {
        fleet.onTransition(change);
    }
}
