package io.llmlb.health.query.metrics;

import io.llmlb.health.kafka.UnavailableException;
import io.llmlb.health.query.view.NodeStateReader;
import io.llmlb.health.wire.NodeState;
import io.llmlb.health.wire.NodeStatus;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.CounterSnapshot.CounterDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The seed's node metrics, computed at scrape time from the materialised node state, so every
 * query-api replica reports the same numbers and they survive restarts:
 * <pre>
 * llm_router_heartbeats_received_total{node_id="node-1"} 100
 * llm_router_node_state{node_id="node-1",state="online"} 1
 * llm_router_node_timeouts_total{node_id="node-2"} 1
 * llm_router_nodes{state="online"} 1
 * </pre>
 * A node has one {@code llm_router_node_state} series, for its current state; when it changes
 * state the old series disappears, and a removed node's series all go. Per-node series can be
 * switched off ({@code LLMLB_PER_NODE_METRICS=false}) for fleets too large for them.
 */
public final class NodeStateCollector implements MultiCollector {

    private final NodeStateReader reader;
    private final boolean perNode;

    public NodeStateCollector(NodeStateReader reader, boolean perNode) {
        this.reader = reader;
        this.perNode = perNode;
    }

    @Override
    public MetricSnapshots collect() {
        List<NodeState> nodes;
        try {
            nodes = reader.all();
        } catch (UnavailableException notReady) {
            // While the view starts there is nothing true to report: report nothing rather than zeros.
            return MetricSnapshots.of();
        }
        MetricSnapshots.Builder snapshots = MetricSnapshots.builder();
        snapshots.metricSnapshot(countsByState(nodes));
        if (perNode) {
            CounterSnapshot.Builder heartbeats = CounterSnapshot.builder().name("llm_router_heartbeats_received")
                    .help("Heartbeats received from the node");
            GaugeSnapshot.Builder state = GaugeSnapshot.builder().name("llm_router_node_state")
                    .help("1 for the node's current state (online, offline or pending)");
            CounterSnapshot.Builder timeouts = CounterSnapshot.builder().name("llm_router_node_timeouts")
                    .help("Times the node went offline because its heartbeats stopped");
            for (NodeState node : nodes) {
                Labels nodeLabel = Labels.of("node_id", node.nodeId());
                heartbeats.dataPoint(CounterDataPointSnapshot.builder().labels(nodeLabel).value(node.heartbeats()).build());
                state.dataPoint(GaugeDataPointSnapshot.builder()
                        .labels(Labels.of("node_id", node.nodeId(), "state", node.state().wireName())).value(1).build());
                timeouts.dataPoint(CounterDataPointSnapshot.builder().labels(nodeLabel).value(node.timeouts()).build());
            }
            snapshots.metricSnapshot(heartbeats.build()).metricSnapshot(state.build()).metricSnapshot(timeouts.build());
        }
        return snapshots.build();
    }

    private static GaugeSnapshot countsByState(List<NodeState> nodes) {
        Map<NodeStatus, Integer> counts = new EnumMap<>(NodeStatus.class);
        for (NodeStatus status : NodeStatus.values()) {
            counts.put(status, 0);
        }
        nodes.forEach(node -> counts.merge(node.state(), 1, Integer::sum));
        GaugeSnapshot.Builder gauge = GaugeSnapshot.builder().name("llm_router_nodes").help("Nodes by state");
        counts.forEach((status, count) -> gauge.dataPoint(GaugeDataPointSnapshot.builder()
                .labels(Labels.of("state", status.wireName())).value(count).build()));
        return gauge.build();
    }
}
