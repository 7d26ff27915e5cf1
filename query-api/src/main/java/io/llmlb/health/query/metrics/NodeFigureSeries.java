package io.llmlb.health.query.metrics;

import io.llmlb.health.query.view.NodeEntry;
import io.llmlb.health.wire.NodeStatus;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.InfoSnapshot;
import io.prometheus.metrics.model.snapshots.InfoSnapshot.InfoDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.util.function.ToDoubleFunction;

/**
 * The latest figures of each online node as gauges, built during one scrape:
 * <pre>
 * llm_router_node_gpu_usage_percent{node_id="node-1"} 45.5
 * llm_router_node_vram_usage_percent{node_id="node-1"} 78.2
 * llm_router_node_gpu_temperature_celsius{node_id="node-1"} 65.0
 * llm_router_node_cpu_usage_percent{node_id="node-1"} 30.0
 * llm_router_node_memory_usage_percent{node_id="node-1"} 50.0
 * llm_router_node_active_requests{node_id="node-1"} 2
 * llm_router_node_model_info{node_id="node-1",model="llama-3.2-1b"} 1
 * </pre>
 * Only online nodes have them: an offline node's last figures are history, not its present, and
 * an alert on GPU temperature must not keep firing for a node that is gone. A figure the node did
 * not send has no series (not a zero).
 */
final class NodeFigureSeries {

    private enum Figure {
        GPU_USAGE("llm_router_node_gpu_usage_percent", "GPU utilisation of the node's latest heartbeat, percent",
                NodeEntry::gpuUsage),
        VRAM_USAGE("llm_router_node_vram_usage_percent", "VRAM in use on the node, percent, latest heartbeat",
                NodeEntry::vramUsage),
        GPU_TEMPERATURE("llm_router_node_gpu_temperature_celsius", "GPU temperature of the node, latest heartbeat",
                NodeEntry::temperature),
        CPU_USAGE("llm_router_node_cpu_usage_percent", "Host CPU utilisation of the node, percent, latest heartbeat",
                NodeEntry::cpuUsage),
        MEMORY_USAGE("llm_router_node_memory_usage_percent", "Host memory in use on the node, percent, latest"
                + " heartbeat", NodeEntry::memoryUsage),
        ACTIVE_REQUESTS("llm_router_node_active_requests", "Requests in flight on the node, latest heartbeat",
                node -> node.activeRequests() == NodeEntry.NO_COUNT ? Double.NaN : node.activeRequests());

        final String metric;
        final String help;
        final ToDoubleFunction<NodeEntry> value;

        Figure(String metric, String help, ToDoubleFunction<NodeEntry> value) {
            this.metric = metric;
            this.help = help;
            this.value = value;
        }
    }

    private final GaugeSnapshot.Builder[] gauges = new GaugeSnapshot.Builder[Figure.values().length];
    private final InfoSnapshot.Builder models = InfoSnapshot.builder().name("llm_router_node_model")
            .help("A model the node had loaded at its latest heartbeat (value always 1)");

    NodeFigureSeries() {
        for (Figure figure : Figure.values()) {
            gauges[figure.ordinal()] = GaugeSnapshot.builder().name(figure.metric).help(figure.help);
        }
    }

    /** Adds {@code node}'s series, labelled with {@code nodeLabel} (shared with its other series). */
    void add(NodeEntry node, Labels nodeLabel) {
        if (node.state() != NodeStatus.ONLINE || !node.hasMetrics()) {
            return;
        }
        for (Figure figure : Figure.values()) {
            double value = figure.value.applyAsDouble(node);
            if (!Double.isNaN(value)) {
                gauges[figure.ordinal()].dataPoint(GaugeDataPointSnapshot.builder().labels(nodeLabel).value(value)
                        .build());
            }
        }
        if (node.loadedModels() != null) {
            for (String model : node.loadedModels()) {
                models.dataPoint(InfoDataPointSnapshot.builder()
                        .labels(Labels.of("node_id", node.nodeId(), "model", model)).build());
            }
        }
    }

    /** Adds every series built so far to {@code snapshots}. */
    void addTo(MetricSnapshots.Builder snapshots) {
        for (GaugeSnapshot.Builder gauge : gauges) {
            snapshots.metricSnapshot(gauge.build());
        }
        snapshots.metricSnapshot(models.build());
    }
}
