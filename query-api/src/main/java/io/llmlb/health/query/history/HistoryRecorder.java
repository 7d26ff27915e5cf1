package io.llmlb.health.query.history;

import io.llmlb.health.query.view.NodeEntry;
import io.llmlb.health.query.view.NodeView;
import io.llmlb.health.wire.StateChange;
import java.time.Instant;

/**
 * Feeds the histories: node-state updates (metrics, heartbeat counts) from the node view,
 * transitions from the changes topic's follower. Runs on those followers' threads; never blocks.
 */
public final class HistoryRecorder implements NodeView.Listener {

    private final NodeMetricHistory nodes;
    private final FleetHistory fleet;

    public HistoryRecorder(NodeMetricHistory nodes, FleetHistory fleet) {
        this.nodes = nodes;
        this.fleet = fleet;
    }

    @Override
    public void update(NodeView.Update update) {
        if (update.node() == null) {
            nodes.forget(update.nodeId());
            return;
        }
        long received = nodes.record(update.node());
        if (received > 0 && update.node().lastSeen() != NodeEntry.NONE) {
            fleet.onHeartbeats(Instant.ofEpochMilli(update.node().lastSeen()), received);
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
