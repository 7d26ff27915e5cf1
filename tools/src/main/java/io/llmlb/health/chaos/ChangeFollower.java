package io.llmlb.health.chaos;

import io.llmlb.health.wire.NodeStatus;
import io.llmlb.health.wire.Reason;
import io.llmlb.health.wire.StateChange;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Follows {@code llmlb.node-state-changes} through the brokers' loopback listeners, as any
 * downstream consumer would (read_committed): which of the fleet's nodes are online, every
 * timeout verdict, and every gap or repeat in a node's {@code seq}.
 */
final class ChangeFollower implements AutoCloseable {

    /** A timeout verdict as published. */
    record Verdict(String nodeId, long atMillis, long lastSeenMillis) {
    }

    /** A seq that was not the previous one plus one. */
    record SeqAnomaly(String nodeId, long atMillis, long expected, long seen) {
    }

    private final Map<String, Long> lastSeq = new HashMap<>();
    private final Map<String, NodeStatus> states = new HashMap<>();
    private final List<Verdict> verdicts = new ArrayList<>();
    private final List<SeqAnomaly> anomalies = new ArrayList<>();
    private final FleetTopicReader<StateChange> reader;

    ChangeFollower(String bootstrap, String topic, String nodePrefix) {
        this.reader = new FleetTopicReader<>(bootstrap, topic, StateChange.class, nodePrefix, "chaos-change-follower",
                (nodeId, change) -> apply(change));
    }

    private synchronized void apply(StateChange change) {
        Long previous = lastSeq.get(change.nodeId());
        long expected = previous == null ? 1 : previous + 1;
        if (change.seq() != expected) {
            anomalies.add(new SeqAnomaly(change.nodeId(), System.currentTimeMillis(), expected, change.seq()));
        }
        lastSeq.merge(change.nodeId(), change.seq(), Math::max);
        states.put(change.nodeId(), change.to());
        if (Reason.TIMEOUT.equals(change.reason())) {
            verdicts.add(new Verdict(change.nodeId(), change.at().toEpochMilli(),
                    change.lastSeen() == null ? 0 : change.lastSeen().toEpochMilli()));
        }
    }

    synchronized int online() {
        return (int) states.values().stream().filter(NodeStatus.ONLINE::equals).count();
    }

    synchronized boolean isOnline(String nodeId) {
        return states.get(nodeId) == NodeStatus.ONLINE;
    }

    synchronized List<Verdict> verdictsBetween(long fromMillis, long toMillis) {
        return verdicts.stream().filter(v -> v.atMillis() >= fromMillis && v.atMillis() < toMillis).toList();
    }

    synchronized List<SeqAnomaly> anomaliesBetween(long fromMillis, long toMillis) {
        return anomalies.stream().filter(a -> a.atMillis() >= fromMillis && a.atMillis() < toMillis).toList();
    }

    synchronized int totalVerdicts() {
        return verdicts.size();
    }

    @Override
    public void close() {
        reader.close();
    }
}
