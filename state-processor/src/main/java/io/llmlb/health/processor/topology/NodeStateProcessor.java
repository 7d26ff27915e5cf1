package io.llmlb.health.processor.topology;

import io.llmlb.health.wire.Heartbeat;
import io.llmlb.health.wire.NodeEvent;
import io.llmlb.health.wire.NodeState;
import io.llmlb.health.wire.NodeStatus;
import io.llmlb.health.wire.Registration;
import io.llmlb.health.wire.StoreNames;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Logger;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Applies registry entries and heartbeats to the node-state store and detects timeouts with a
 * wall-clock punctuator. Stream time would stop exactly when heartbeats stop, which is the case
 * to detect, hence WALL_CLOCK_TIME.
 *
 * <p>The punctuator looks only at nodes whose deadline passed: the deadline store is ordered by
 * (deadline, node id), so a sweep is a range scan up to now and costs O(expired nodes).
 */
final class NodeStateProcessor implements Processor<String, NodeEvent, String, Object> {

    private static final Logger LOG = Logger.getLogger(NodeStateProcessor.class.getName());

    private final NodeStateMachine machine;
    private final Duration nodeTimeout;
    private final Duration checkInterval;
    private final String registryTopic;
    private ProcessorContext<String, Object> context;
    private KeyValueStore<String, NodeState> nodes;
    private KeyValueStore<String, String> deadlines;
    private Instant verdictsAllowedFrom;

    NodeStateProcessor(Duration nodeTimeout, Duration checkInterval, String registryTopic) {
        this.machine = new NodeStateMachine(nodeTimeout);
        this.nodeTimeout = nodeTimeout;
        this.checkInterval = checkInterval;
        this.registryTopic = registryTopic;
    }

    @Override
    public void init(ProcessorContext<String, Object> context) {
        this.context = context;
        this.nodes = context.getStateStore(StoreNames.NODE_STATE);
        this.deadlines = context.getStateStore(StoreNames.DEADLINES);
        // Restart rule: while this task was not running nobody watched the fleet, so no node is
        // judged on silence older than this start. Every node gets one full timeout from now.
        this.verdictsAllowedFrom = now().plus(nodeTimeout);
        rebuildDeadlineIndex();
        context.schedule(checkInterval, PunctuationType.WALL_CLOCK_TIME, this::sweepExpired);
    }

    @Override
    public void process(Record<String, NodeEvent> record) {
        String nodeId = record.key();
        if (nodeId == null) {
            return;
        }
        NodeState current = nodes.get(nodeId);
        Outcome outcome = switch (record.value()) {
            case Registration registration -> machine.onRegistration(current, registration);
            case Heartbeat heartbeat -> machine.onHeartbeat(current, heartbeat, now());
            case null -> isFromRegistry() ? machine.onRemoval(current, now()) : Outcome.unchanged(current);
        };
        if (current == null && record.value() instanceof Heartbeat) {
            LOG.fine(() -> "heartbeat for unregistered node " + nodeId + " ignored");
        }
        apply(nodeId, current, outcome);
    }

    private void sweepExpired(long wallClockMillis) {
        Instant now = Instant.ofEpochMilli(wallClockMillis);
        if (now.isBefore(verdictsAllowedFrom)) {
            return;
        }
        List<String> expired = new ArrayList<>();
        try (KeyValueIterator<String, String> due = deadlines.range(DeadlineKeys.FIRST, DeadlineKeys.upTo(now))) {
            due.forEachRemaining(entry -> expired.add(entry.value));
        }
        for (String nodeId : expired) {
            NodeState current = nodes.get(nodeId);
            apply(nodeId, current, machine.onDeadline(current, now));
        }
    }

    private void apply(String nodeId, NodeState before, Outcome outcome) {
        if (!outcome.stateChanged()) {
            return;
        }
        NodeState after = outcome.next();
        reindex(nodeId, before, after);
        if (after == null) {
            nodes.delete(nodeId);
        } else {
            nodes.put(nodeId, after);
        }
        long timestamp = context.currentSystemTimeMs();
        context.forward(new Record<>(nodeId, after, timestamp), NodeStateTopology.NODE_STATE_SINK);
        if (outcome.change() != null) {
            context.forward(new Record<>(nodeId, outcome.change(), timestamp), NodeStateTopology.CHANGES_SINK);
            LOG.info(() -> "transition node=" + nodeId + " from=" + wire(outcome.change().from()) + " to="
                    + wire(outcome.change().to()) + " reason=" + outcome.change().reason() + " seq="
                    + outcome.change().seq());
        }
    }

    private void reindex(String nodeId, NodeState before, NodeState after) {
        Instant oldDeadline = before == null ? null : before.deadline();
        Instant newDeadline = after == null ? null : after.deadline();
        if (oldDeadline != null && !oldDeadline.equals(newDeadline)) {
            deadlines.delete(DeadlineKeys.of(oldDeadline, nodeId));
        }
        if (newDeadline != null && !newDeadline.equals(oldDeadline)) {
            deadlines.put(DeadlineKeys.of(newDeadline, nodeId), nodeId);
        }
    }

    private void rebuildDeadlineIndex() {
        try (KeyValueIterator<String, NodeState> all = nodes.all()) {
            while (all.hasNext()) {
                KeyValue<String, NodeState> entry = all.next();
                NodeState state = entry.value;
                if (state.state() == NodeStatus.ONLINE && state.deadline() != null) {
                    deadlines.put(DeadlineKeys.of(state.deadline(), entry.key), entry.key);
                }
            }
        }
    }

    private boolean isFromRegistry() {
        return context.recordMetadata().map(meta -> registryTopic.equals(meta.topic())).orElse(false);
    }

    private Instant now() {
        return Instant.ofEpochMilli(context.currentSystemTimeMs());
    }

    private static String wire(NodeStatus status) {
        return status == null ? "none" : status.wireName();
    }
}
