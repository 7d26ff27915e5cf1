package io.llmlb.health.query.metrics;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.llmlb.health.http.MetricsService;
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
        NodeStateCollector collector = new NodeStateCollector(starting, true);
        registry.getPrometheusRegistry().register(collector);

        String text = MetricsService.scrapeText(registry, collector.perNodeSeries(), false);
        assertThat(text, not(containsString("llm_router_nodes")));
        assertThat(text, not(containsString("node-1")));
    }

    @Test
    void viewThatStoppedReportsNothing() {
        view.put(node("node-1", NodeStatus.ONLINE, 3, 0));
        view.markStopped();

        assertThat(scrape(true), not(containsString("llm_router_nodes")));
    }

    /** Every llm_router line of the scrape, sorted: what the Prometheus client library wrote for this fleet. */
    private static final String CLIENT_LIBRARY_PROMETHEUS_TEXT = """
            # HELP llm_router_heartbeats_received_total Heartbeats received from the node
            # HELP llm_router_node_active_requests Requests in flight on the node, latest heartbeat
            # HELP llm_router_node_cpu_usage_percent Host CPU utilisation of the node, percent, latest heartbeat
            # HELP llm_router_node_gpu_temperature_celsius GPU temperature of the node, latest heartbeat
            # HELP llm_router_node_gpu_usage_percent GPU utilisation of the node's latest heartbeat, percent
            # HELP llm_router_node_memory_usage_percent Host memory in use on the node, percent, latest heartbeat
            # HELP llm_router_node_model_info A model the node had loaded at its latest heartbeat (value always 1)
            # HELP llm_router_node_state 1 for the node's current state (online, offline or pending)
            # HELP llm_router_node_timeouts_total Times the node went offline because its heartbeats stopped
            # HELP llm_router_node_vram_usage_percent VRAM in use on the node, percent, latest heartbeat
            # HELP llm_router_nodes Nodes by state
            # TYPE llm_router_heartbeats_received_total counter
            # TYPE llm_router_node_active_requests gauge
            # TYPE llm_router_node_cpu_usage_percent gauge
            # TYPE llm_router_node_gpu_temperature_celsius gauge
            # TYPE llm_router_node_gpu_usage_percent gauge
            # TYPE llm_router_node_memory_usage_percent gauge
            # TYPE llm_router_node_model_info gauge
            # TYPE llm_router_node_state gauge
            # TYPE llm_router_node_timeouts_total counter
            # TYPE llm_router_node_vram_usage_percent gauge
            # TYPE llm_router_nodes gauge
            llm_router_heartbeats_received_total{node_id="a-node\\"x\\\\y"} 1.2345678902E10
            llm_router_heartbeats_received_total{node_id="node-1"} 101.0
            llm_router_heartbeats_received_total{node_id="node-2"} 95.0
            llm_router_heartbeats_received_total{node_id="node-3"} 0.0
            llm_router_node_active_requests{node_id="a-node\\"x\\\\y"} 0.0
            llm_router_node_active_requests{node_id="node-1"} 2.0
            llm_router_node_cpu_usage_percent{node_id="a-node\\"x\\\\y"} 0.0
            llm_router_node_cpu_usage_percent{node_id="node-1"} 30.0
            llm_router_node_gpu_temperature_celsius{node_id="a-node\\"x\\\\y"} 71.25
            llm_router_node_gpu_usage_percent{node_id="a-node\\"x\\\\y"} 1.0E-5
            llm_router_node_gpu_usage_percent{node_id="node-1"} 45.5
            llm_router_node_memory_usage_percent{node_id="a-node\\"x\\\\y"} 99.99
            llm_router_node_memory_usage_percent{node_id="node-1"} 50.0
            llm_router_node_model_info{model="llama-3.2-1b",node_id="node-1"} 1
            llm_router_node_model_info{model="q\\"w\\\\e\\nn",node_id="node-1"} 1
            llm_router_node_state{node_id="a-node\\"x\\\\y",state="online"} 1.0
            llm_router_node_state{node_id="node-1",state="online"} 1.0
            llm_router_node_state{node_id="node-2",state="offline"} 1.0
            llm_router_node_state{node_id="node-3",state="pending"} 1.0
            llm_router_node_timeouts_total{node_id="a-node\\"x\\\\y"} 3.0
            llm_router_node_timeouts_total{node_id="node-1"} 0.0
            llm_router_node_timeouts_total{node_id="node-2"} 1.0
            llm_router_node_timeouts_total{node_id="node-3"} 0.0
            llm_router_node_vram_usage_percent{node_id="a-node\\"x\\\\y"} 100.0
            llm_router_node_vram_usage_percent{node_id="node-1"} 78.2
            llm_router_nodes{state="offline"} 1.0
            llm_router_nodes{state="online"} 2.0
            llm_router_nodes{state="pending"} 1.0
            """;
    private static final String CLIENT_LIBRARY_OPENMETRICS = """
            # HELP llm_router_heartbeats_received Heartbeats received from the node
            # HELP llm_router_node_active_requests Requests in flight on the node, latest heartbeat
            # HELP llm_router_node_cpu_usage_percent Host CPU utilisation of the node, percent, latest heartbeat
            # HELP llm_router_node_gpu_temperature_celsius GPU temperature of the node, latest heartbeat
            # HELP llm_router_node_gpu_usage_percent GPU utilisation of the node's latest heartbeat, percent
            # HELP llm_router_node_memory_usage_percent Host memory in use on the node, percent, latest heartbeat
            # HELP llm_router_node_model A model the node had loaded at its latest heartbeat (value always 1)
            # HELP llm_router_node_state 1 for the node's current state (online, offline or pending)
            # HELP llm_router_node_timeouts Times the node went offline because its heartbeats stopped
            # HELP llm_router_node_vram_usage_percent VRAM in use on the node, percent, latest heartbeat
            # HELP llm_router_nodes Nodes by state
            # TYPE llm_router_heartbeats_received counter
            # TYPE llm_router_node_active_requests gauge
            # TYPE llm_router_node_cpu_usage_percent gauge
            # TYPE llm_router_node_gpu_temperature_celsius gauge
            # TYPE llm_router_node_gpu_usage_percent gauge
            # TYPE llm_router_node_memory_usage_percent gauge
            # TYPE llm_router_node_model info
            # TYPE llm_router_node_state gauge
            # TYPE llm_router_node_timeouts counter
            # TYPE llm_router_node_vram_usage_percent gauge
            # TYPE llm_router_nodes gauge
            llm_router_heartbeats_received_total{node_id="a-node\\"x\\\\y"} 1.2345678902E10
            llm_router_heartbeats_received_total{node_id="node-1"} 101.0
            llm_router_heartbeats_received_total{node_id="node-2"} 95.0
            llm_router_heartbeats_received_total{node_id="node-3"} 0.0
            llm_router_node_active_requests{node_id="a-node\\"x\\\\y"} 0.0
            llm_router_node_active_requests{node_id="node-1"} 2.0
            llm_router_node_cpu_usage_percent{node_id="a-node\\"x\\\\y"} 0.0
            llm_router_node_cpu_usage_percent{node_id="node-1"} 30.0
            llm_router_node_gpu_temperature_celsius{node_id="a-node\\"x\\\\y"} 71.25
            llm_router_node_gpu_usage_percent{node_id="a-node\\"x\\\\y"} 1.0E-5
            llm_router_node_gpu_usage_percent{node_id="node-1"} 45.5
            llm_router_node_memory_usage_percent{node_id="a-node\\"x\\\\y"} 99.99
            llm_router_node_memory_usage_percent{node_id="node-1"} 50.0
            llm_router_node_model_info{model="llama-3.2-1b",node_id="node-1"} 1
            llm_router_node_model_info{model="q\\"w\\\\e\\nn",node_id="node-1"} 1
            llm_router_node_state{node_id="a-node\\"x\\\\y",state="online"} 1.0
            llm_router_node_state{node_id="node-1",state="online"} 1.0
            llm_router_node_state{node_id="node-2",state="offline"} 1.0
            llm_router_node_state{node_id="node-3",state="pending"} 1.0
            llm_router_node_timeouts_total{node_id="a-node\\"x\\\\y"} 3.0
            llm_router_node_timeouts_total{node_id="node-1"} 0.0
            llm_router_node_timeouts_total{node_id="node-2"} 1.0
            llm_router_node_timeouts_total{node_id="node-3"} 0.0
            llm_router_node_vram_usage_percent{node_id="a-node\\"x\\\\y"} 100.0
            llm_router_node_vram_usage_percent{node_id="node-1"} 78.2
            llm_router_nodes{state="offline"} 1.0
            llm_router_nodes{state="online"} 2.0
            llm_router_nodes{state="pending"} 1.0
            """;

    @Test
    void perNodeSeriesReadLineForLineAsTheClientLibraryWroteThemInBothFormats() {
        // Given a fleet with label values that need escaping, big counters and small figures
        view.put(new NodeState("node-1", NodeStatus.ONLINE, true, null, Map.of(), AT, AT, null, null, 100, 0, 1, AT,
                null).withHeartbeat(AT, new NodeMetrics(new GpuMetrics(45.5, 78.2, null), new SystemMetrics(30.0, 50.0),
                2, List.of("llama-3.2-1b", "q\"w\\e\nn"))));
        view.put(new NodeState("a-node\"x\\y", NodeStatus.ONLINE, true, null, Map.of(), AT, AT, null, null,
                12_345_678_901L, 3, 1, AT, null).withHeartbeat(AT, new NodeMetrics(new GpuMetrics(1e-5, 100.0, 71.25),
                new SystemMetrics(0.0, 99.99), 0, List.of())));
        view.put(node("node-2", NodeStatus.OFFLINE, 95, 1));
        view.put(new NodeState("node-3", NodeStatus.PENDING, false, null, Map.of(), AT, null, null, null, 0, 0, 1, AT,
                null));

        // Then each line is the one the registry's snapshots gave before the series were written directly
        assertEquals(CLIENT_LIBRARY_PROMETHEUS_TEXT, routerLines(scrape(true, false)));
        assertEquals(CLIENT_LIBRARY_OPENMETRICS, routerLines(scrape(true, true)));
        assertTrue(scrape(true, true).endsWith("# EOF\n"), "one end marker, at the end");
    }

    private static String routerLines(String scrape) {
        return Arrays.stream(scrape.split("\n")).filter(line -> line.contains("llm_router")).sorted()
                .collect(java.util.stream.Collectors.joining("\n", "", "\n"));
    }

    private String scrape(boolean perNode) {
        return scrape(perNode, false);
    }

    /** {@code /metrics} as MetricsService writes it: the per-node series, then the registry's. */
    private String scrape(boolean perNode, boolean openMetrics) {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        NodeStateCollector collector = new NodeStateCollector(view, perNode);
        registry.getPrometheusRegistry().register(collector);
        return MetricsService.scrapeText(registry, collector.perNodeSeries(), openMetrics);
    }

    private static NodeState node(String id, NodeStatus status, long heartbeats, long timeouts) {
        return new NodeState(id, status, status != NodeStatus.PENDING, null, Map.of(), AT, AT, null, null,
                heartbeats, timeouts, 1, AT, null);
    }
}
