package io.llmlb.health.query.metrics;

import io.llmlb.health.http.SeriesWriter;
import io.llmlb.health.query.view.NodeEntry;
import io.llmlb.health.wire.NodeStatus;
import java.io.IOException;
import java.util.Iterator;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;

/**
 * The latest figures of each online node as gauges, written straight to the scrape:
 * <pre>
 * llm_router_node_gpu_usage_percent{node_id="node-1"} 45.5
 * llm_router_node_vram_usage_percent{node_id="node-1"} 78.2
 * llm_router_node_gpu_temperature_celsius{node_id="node-1"} 65.0
 * llm_router_node_cpu_usage_percent{node_id="node-1"} 30.0
 * llm_router_node_memory_usage_percent{node_id="node-1"} 50.0
 * llm_router_node_active_requests{node_id="node-1"} 2
 * llm_router_node_model_info{model="llama-3.2-1b",node_id="node-1"} 1
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

    private NodeFigureSeries() {
    }

    /** Writes every figure's family, then the models', one walk of {@code nodes} each. */
    static void write(SeriesWriter out, Supplier<Iterator<NodeEntry>> nodes) throws IOException {
        for (Figure figure : Figure.values()) {
            out.family(figure.metric, SeriesWriter.Type.GAUGE, figure.help);
            for (Iterator<NodeEntry> walk = nodes.get(); walk.hasNext(); ) {
                NodeEntry node = walk.next();
                if (shown(node)) {
                    double value = figure.value.applyAsDouble(node);
                    if (!Double.isNaN(value)) {
                        out.sample("node_id", node.nodeId(), value);
                    }
                }
            }
        }
        out.family("llm_router_node_model", SeriesWriter.Type.INFO,
                "A model the node had loaded at its latest heartbeat (value always 1)");
        for (Iterator<NodeEntry> walk = nodes.get(); walk.hasNext(); ) {
            NodeEntry node = walk.next();
            if (shown(node) && node.loadedModels() != null) {
                for (String model : node.loadedModels()) {
                    out.sample("model", model, "node_id", node.nodeId(), 1);
                }
            }
        }
    }

    private static boolean shown(NodeEntry node) {
        return node.state() == NodeStatus.ONLINE && node.hasMetrics();
    }
}
