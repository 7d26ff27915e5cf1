package io.llmlb.health.query.metrics;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.llmlb.health.query.view.NodeView;
import io.llmlb.health.wire.GpuMetrics;
import io.llmlb.health.wire.NodeMetrics;
import io.llmlb.health.wire.NodeState;
import io.llmlb.health.wire.NodeStatus;
import io.llmlb.health.wire.NodeSupervision;
import io.llmlb.health.wire.SystemMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NodeStateCollectorTest {

    private static final Instant AT = Instant.parse("2025-01-01T12:00:00Z");

    private final NodeView view = new NodeView();

    NodeStateCollectorTest() {
        view.markCaughtUp();
    }

    @Test
    void seedMetricLinesComeFromNodeState() {
        view.put(node("node-1", NodeStatus.ONLINE, 100, 0));
        view.put(node("node-2", NodeStatus.OFFLINE, 95, 1));

        String text = scrape(true);

        assertEquals(List.of(
                "llm_router_heartbeats_received_total{node_id=\"node-1\"} 100.0",
                "llm_router_heartbeats_received_total{node_id=\"node-2\"} 95.0",
                "llm_router_node_state{node_id=\"node-1\",state=\"online\"} 1.0",
                "llm_router_node_state{node_id=\"node-2\",state=\"offline\"} 1.0",
                "llm_router_node_timeouts_total{node_id=\"node-1\"} 0.0",
                "llm_router_node_timeouts_total{node_id=\"node-2\"} 1.0"),
                Arrays.stream(text.split("\n"))
                        .filter(line -> line.matches("llm_router_(heartbeats|node_state|node_timeouts).*"))
                        .toList());
        assertThat(text, containsString("llm_router_nodes{state=\"online\"} 1.0"));
        assertThat(text, containsString("llm_router_nodes{state=\"pending\"} 0.0"));
    }

    @Test
    void aNodeHasOnlyTheSeriesOfItsCurrentState() {
        view.put(node("node-1", NodeStatus.ONLINE, 3, 0));
        assertThat(scrape(true), containsString("llm_router_node_state{node_id=\"node-1\",state=\"online\"} 1.0"));

        view.put(node("node-1", NodeStatus.OFFLINE, 3, 1));
        String text = scrape(true);

        assertThat(text, containsString("llm_router_node_state{node_id=\"node-1\",state=\"offline\"} 1.0"));
        assertThat(text, not(containsString("state=\"online\"} 1")));
    }

    @Test
    void maintenanceFlappingAndSlowIntervalAreSeriesOnlyForTheNodesTheyMark() {
        view.put(node("quiet", NodeStatus.ONLINE, 3, 0));
        view.put(node("marked", NodeStatus.OFFLINE, 3, 1)
                .withSupervision(new NodeSupervision(true, 0, 45, true, true, 5, AT, AT)));

        List<String> lines = Arrays.stream(scrape(true).split("\n"))
                .filter(line -> line.matches("llm_router_node_(maintenance|flapping|interval_exceeds_timeout)\\{.*"))
                .toList();

        assertEquals(List.of(
                "llm_router_node_flapping{node_id=\"marked\"} 1.0",
                "llm_router_node_interval_exceeds_timeout{node_id=\"marked\"} 1.0",
                "llm_router_node_maintenance{node_id=\"marked\"} 1.0"), lines.stream().sorted().toList());
    }

    @Test
    void removedNodeLeavesNoSeries() {
        view.put(node("node-1", NodeStatus.ONLINE, 3, 0));
        scrape(true);
        view.remove("node-1");

        assertThat(scrape(true), not(containsString("node-1")));
    }

    @Test
    void onlineNodesLatestFiguresAreGaugesAndTheirModelsAnInfoSeries() {
        view.put(node("node-1", NodeStatus.ONLINE, 3, 0).withHeartbeat(AT, new NodeMetrics(
                new GpuMetrics(45.5, 78.2, null), new SystemMetrics(30.0, 50.0), 2, List.of("llama-3.2-1b", "qwen"))));
        view.put(node("node-2", NodeStatus.OFFLINE, 3, 1).withHeartbeat(AT, new NodeMetrics(
                new GpuMetrics(99.0, 99.0, 99.0), null, 7, List.of("stale-model"))));

        String text = scrape(true);

        assertEquals(List.of(
                "llm_router_node_active_requests{node_id=\"node-1\"} 2.0",
                "llm_router_node_cpu_usage_percent{node_id=\"node-1\"} 30.0",
                "llm_router_node_gpu_usage_percent{node_id=\"node-1\"} 45.5",
                "llm_router_node_memory_usage_percent{node_id=\"node-1\"} 50.0",
                "llm_router_node_model_info{model=\"llama-3.2-1b\",node_id=\"node-1\"} 1",
                "llm_router_node_model_info{model=\"qwen\",node_id=\"node-1\"} 1",
                "llm_router_node_vram_usage_percent{node_id=\"node-1\"} 78.2"),
                Arrays.stream(text.split("\n"))
                        .filter(line -> line.matches("llm_router_node_(gpu|vram|cpu|memory|active|model).*"))
                        .sorted()
                        .toList(), "no temperature series for a figure not sent; nothing for the offline node");
        assertThat(text, containsString("# TYPE llm_router_node_gpu_usage_percent gauge"));
        assertThat(text, not(containsString("stale-model")));
    }

    @Test
    void perNodeSeriesCanBeSwitchedOff() {
        view.put(node("node-1", NodeStatus.ONLINE, 3, 0));

        String text = scrape(false);

        assertThat(text, not(containsString("node_id")));
        assertThat(text, containsString("llm_router_nodes{state=\"online\"} 1.0"));
    }

    @Test
    void viewNotReadyReportsNothingRatherThanZeros() {
        NodeView starting = new NodeView();
        starting.put(node("node-1", NodeStatus.ONLINE, 3, 0));
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        registry.getPrometheusRegistry().register(new NodeStateCollector(starting, true));

        assertThat(registry.scrape(), not(containsString("llm_router_nodes")));
    }

    @Test
    void viewThatStoppedReportsNothing() {
        view.put(node("node-1", NodeStatus.ONLINE, 3, 0));
        view.markStopped();

        assertThat(scrape(true), not(containsString("llm_router_nodes")));
    }

    private String scrape(boolean perNode) {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        registry.getPrometheusRegistry().register(new NodeStateCollector(view, perNode));
        return registry.scrape();
    }

    private static NodeState node(String id, NodeStatus status, long heartbeats, long timeouts) {
        return new NodeState(id, status, status != NodeStatus.PENDING, null, Map.of(), AT, AT, null, null,
                heartbeats, timeouts, 1, AT, null);
    }
}
