package io.llmlb.health.query.metrics;

import io.llmlb.health.http.ApiException;
import io.llmlb.health.kafka.UnavailableException;
import io.llmlb.health.query.view.NodeEntry;
import io.llmlb.health.query.view.NodeView;
import io.llmlb.health.wire.NodeStatus;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.CounterSnapshot.CounterDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.util.Iterator;

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
 * state the old series disappears, and a removed node's series all go. An online node's latest
 * figures (GPU, VRAM, temperature, CPU, memory, active requests, loaded models) follow
 * ({@link NodeFigureSeries}). Per-node series can be switched off ({@code LLMLB_PER_NODE_METRICS=false})
 * for fleets too large for them; they are on by default because the seed's own metric lines are
 * per-node series.
 *
 * <p>Three per-node series exist only for the nodes they mark, with value 1, so a fleet that uses
 * none costs nothing and {@code count(...)} is the fleet total:
 * <pre>
 * llm_router_node_maintenance{node_id="node-3"} 1
 * llm_router_node_flapping{node_id="node-4"} 1
 * llm_router_node_interval_exceeds_timeout{node_id="node-5"} 1
 * </pre>
 */
public final class NodeStateCollector implements MultiCollector {

    private final NodeView view;
    private final boolean perNode;

    public NodeStateCollector(NodeView view, boolean perNode) {
        this.view = view;
        this.perNode = perNode;
    }

    @Override
    public MetricSnapshots collect() {
        NodeView.Counts counts;
        Iterator<NodeEntry> nodes;
        try {
            counts = view.counts();
            nodes = view.from(null, false);
        } catch (ApiException | UnavailableException notReady) {
            // While the view starts there is nothing true to report: report nothing rather than zeros.
            return MetricSnapshots.of();
        }
        MetricSnapshots.Builder snapshots = MetricSnapshots.builder();
        snapshots.metricSnapshot(countsByState(counts));
        if (perNode) {
            CounterSnapshot.Builder heartbeats = CounterSnapshot.builder().name("llm_router_heartbeats_received")
                    .help("Heartbeats received from the node");
            GaugeSnapshot.Builder state = GaugeSnapshot.builder().name("llm_router_node_state")
                    .help("1 for the node's current state (online, offline or pending)");
            CounterSnapshot.Builder timeouts = CounterSnapshot.builder().name("llm_router_node_timeouts")
                    .help("Times the node went offline because its heartbeats stopped");
            GaugeSnapshot.Builder maintenance = GaugeSnapshot.builder().name("llm_router_node_maintenance")
                    .help("1 while an admin has the node in maintenance (no timeout verdict, no offline alert)");
            GaugeSnapshot.Builder flapping = GaugeSnapshot.builder().name("llm_router_node_flapping")
                    .help("1 while the node flips between online and offline more than LLMLB_FLAP_THRESHOLD times"
                            + " within LLMLB_FLAP_WINDOW");
            GaugeSnapshot.Builder slowInterval = GaugeSnapshot.builder().name("llm_router_node_interval_exceeds_timeout")
                    .help("1 when the node's declared heartbeat interval is more than half its timeout");
            NodeFigureSeries figures = new NodeFigureSeries();
            while (nodes.hasNext()) {
                NodeEntry node = nodes.next();
                Labels nodeLabel = Labels.of("node_id", node.nodeId());
                figures.add(node, nodeLabel);
                heartbeats.dataPoint(CounterDataPointSnapshot.builder().labels(nodeLabel).value(node.heartbeats()).build());
                state.dataPoint(GaugeDataPointSnapshot.builder()
                        .labels(Labels.of("node_id", node.nodeId(), "state", node.state().wireName())).value(1).build());
                timeouts.dataPoint(CounterDataPointSnapshot.builder().labels(nodeLabel).value(node.timeouts()).build());
                markIf(node.maintenance(), maintenance, nodeLabel);
                markIf(node.flapping(), flapping, nodeLabel);
                markIf(node.intervalTooLong(), slowInterval, nodeLabel);
            }
            snapshots.metricSnapshot(heartbeats.build()).metricSnapshot(state.build()).metricSnapshot(timeouts.build());
            snapshots.metricSnapshot(maintenance.build()).metricSnapshot(flapping.build())
                    .metricSnapshot(slowInterval.build());
            figures.addTo(snapshots);
        }
        return snapshots.build();
    }

    private static void markIf(boolean marked, GaugeSnapshot.Builder gauge, Labels nodeLabel) {
        if (marked) {
            gauge.dataPoint(GaugeDataPointSnapshot.builder().labels(nodeLabel).value(1).build());
        }
    }

    private static GaugeSnapshot countsByState(NodeView.Counts counts) {
        GaugeSnapshot.Builder gauge = GaugeSnapshot.builder().name("llm_router_nodes").help("Nodes by state");
        counts.byState().forEach((status, count) -> gauge.dataPoint(GaugeDataPointSnapshot.builder()
                .labels(Labels.of("state", status.wireName())).value(count).build()));
        return gauge.build();
    }
}
