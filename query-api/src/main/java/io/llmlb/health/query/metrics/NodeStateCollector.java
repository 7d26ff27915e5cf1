package io.llmlb.health.query.metrics;

import io.llmlb.health.http.ApiException;
import io.llmlb.health.http.DirectSeries;
import io.llmlb.health.http.SeriesWriter;
import io.llmlb.health.kafka.UnavailableException;
import io.llmlb.health.query.view.NodeEntry;
import io.llmlb.health.query.view.NodeView;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.io.IOException;
import java.util.Iterator;
import java.util.function.Predicate;
import java.util.function.Supplier;

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
 * <p>Two parts: the counts per state are a collector of the meter registry; the per-node series
 * ({@link #perNodeSeries()}) are written straight into the scrape by {@code MetricsService}, a walk
 * of the view per family, without a snapshot object per data point (ten per node).
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
        try {
            counts = view.counts();
        } catch (ApiException | UnavailableException notReady) {
            // While the view starts there is nothing true to report: report nothing rather than zeros.
            return MetricSnapshots.of();
        }
        return MetricSnapshots.of(countsByState(counts));
    }

    /** The per-node series for {@code /metrics}, or none when they are switched off. */
    public DirectSeries perNodeSeries() {
        return perNode ? this::writePerNode : DirectSeries.NONE;
    }

    private void writePerNode(SeriesWriter out) throws IOException {
        Supplier<Iterator<NodeEntry>> nodes = () -> view.from(null, false);
        try {
            view.counts();
        } catch (ApiException | UnavailableException notReady) {
            return; // as collect(): nothing rather than a half-read fleet
        }
        out.family("llm_router_heartbeats_received", SeriesWriter.Type.COUNTER, "Heartbeats received from the node");
        for (Iterator<NodeEntry> walk = nodes.get(); walk.hasNext(); ) {
            NodeEntry node = walk.next();
            out.sample("node_id", node.nodeId(), node.heartbeats());
        }
        out.family("llm_router_node_state", SeriesWriter.Type.GAUGE,
                "1 for the node's current state (online, offline or pending)");
        for (Iterator<NodeEntry> walk = nodes.get(); walk.hasNext(); ) {
            NodeEntry node = walk.next();
            out.sample("node_id", node.nodeId(), "state", node.state().wireName(), 1);
        }
        out.family("llm_router_node_timeouts", SeriesWriter.Type.COUNTER,
                "Times the node went offline because its heartbeats stopped");
        for (Iterator<NodeEntry> walk = nodes.get(); walk.hasNext(); ) {
            NodeEntry node = walk.next();
            out.sample("node_id", node.nodeId(), node.timeouts());
        }
        // Marker series exist only for the nodes they mark (a family with no sample is not written).
        writeMarkers(out, nodes, "llm_router_node_maintenance",
                "1 while an admin has the node in maintenance (no timeout verdict, no offline alert)", NodeEntry::maintenance);
        writeMarkers(out, nodes, "llm_router_node_flapping",
                "1 while the node flips between online and offline more than LLMLB_FLAP_THRESHOLD times"
                        + " within LLMLB_FLAP_WINDOW", NodeEntry::flapping);
        writeMarkers(out, nodes, "llm_router_node_interval_exceeds_timeout",
                "1 when the node's declared heartbeat interval is more than half its timeout", NodeEntry::intervalTooLong);
        NodeFigureSeries.write(out, nodes);
    }

    private static void writeMarkers(SeriesWriter out, Supplier<Iterator<NodeEntry>> nodes, String family, String help,
                                     Predicate<NodeEntry> marked) throws IOException {
        out.family(family, SeriesWriter.Type.GAUGE, help);
        for (Iterator<NodeEntry> walk = nodes.get(); walk.hasNext(); ) {
            NodeEntry node = walk.next();
            if (marked.test(node)) {
                out.sample("node_id", node.nodeId(), 1);
            }
        }
    }

    private static GaugeSnapshot countsByState(NodeView.Counts counts) {
        GaugeSnapshot.Builder gauge = GaugeSnapshot.builder().name("llm_router_nodes").help("Nodes by state");
        counts.byState().forEach((status, count) -> gauge.dataPoint(GaugeDataPointSnapshot.builder()
                .labels(Labels.of("state", status.wireName())).value(count).build()));
        return gauge.build();
    }
}
