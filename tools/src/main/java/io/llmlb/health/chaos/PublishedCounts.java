package io.llmlb.health.chaos;

import io.llmlb.health.wire.NodeState;
import java.util.HashMap;
import java.util.Map;

/**
 * Every fleet node's heartbeat count as the state-processor committed it to {@code llmlb.node-state}
 * (read_committed, through the brokers' loopback listeners). This is the count the pipeline owns;
 * what a query-api replica serves is compared with it separately, so that a replica that fell
 * behind is not mistaken for a heartbeat the pipeline lost.
 */
final class PublishedCounts implements AutoCloseable {

    private final Map<String, Long> heartbeats = new HashMap<>();
    private final FleetTopicReader<NodeState> reader;

    PublishedCounts(String bootstrap, String topic, String nodePrefix) {
        this.reader = new FleetTopicReader<>(bootstrap, topic, NodeState.class, nodePrefix, "chaos-published-counts",
                (nodeId, state) -> record(nodeId, state.heartbeats()));
    }

    private synchronized void record(String nodeId, long count) {
        heartbeats.merge(nodeId, count, Math::max);
    }

    /** A copy of the latest committed count of every fleet node seen so far. */
    synchronized Map<String, Long> snapshot() {
        return new HashMap<>(heartbeats);
    }

    @Override
    public void close() {
        reader.close();
    }
}
