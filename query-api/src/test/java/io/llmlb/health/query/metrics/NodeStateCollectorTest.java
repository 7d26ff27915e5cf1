package io.llmlb.health.query.metrics;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.llmlb.health.kafka.UnavailableException;
import io.llmlb.health.query.view.NodeStateReader;
import io.llmlb.health.wire.NodeState;
import io.llmlb.health.wire.NodeStatus;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class NodeStateCollectorTest {

    private static final Instant AT = Instant.parse("2025-01-01T12:00:00Z");

    private final List<NodeState> nodes = new ArrayList<>();
    private boolean ready = true;
    private final NodeStateReader reader = new NodeStateReader() {
        @Override
        public List<NodeState> all() {
            if (!ready) {
                throw new UnavailableException("not ready", Duration.ofSeconds(1));
            }
            return List.copyOf(nodes);
        }

        @Override
        public Optional<NodeState> find(String nodeId) {
            return nodes.stream().filter(n -> n.nodeId().equals(nodeId)).findFirst();
        }
    };

    @Test
    void seedMetricLinesComeFromNodeState() {
        nodes.add(node("node-1", NodeStatus.ONLINE, 100, 0));
        nodes.add(node("node-2", NodeStatus.OFFLINE, 95, 1));

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
        nodes.add(node("node-1", NodeStatus.ONLINE, 3, 0));
        assertThat(scrape(true), containsString("llm_router_node_state{node_id=\"node-1\",state=\"online\"} 1.0"));

        nodes.set(0, node("node-1", NodeStatus.OFFLINE, 3, 1));
        String text = scrape(true);

        assertThat(text, containsString("llm_router_node_state{node_id=\"node-1\",state=\"offline\"} 1.0"));
        assertThat(text, not(containsString("state=\"online\"} 1")));
    }

    @Test
    void removedNodeLeavesNoSeries() {
        nodes.add(node("node-1", NodeStatus.ONLINE, 3, 0));
        scrape(true);
        nodes.clear();

        assertThat(scrape(true), not(containsString("node-1")));
    }

    @Test
    void perNodeSeriesCanBeSwitchedOff() {
        nodes.add(node("node-1", NodeStatus.ONLINE, 3, 0));

        String text = scrape(false);

        assertThat(text, not(containsString("node_id")));
        assertThat(text, containsString("llm_router_nodes{state=\"online\"} 1.0"));
    }

    @Test
    void viewNotReadyReportsNothingRatherThanZeros() {
        ready = false;

        assertThat(scrape(true), not(containsString("llm_router_nodes")));
    }

    private String scrape(boolean perNode) {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        registry.getPrometheusRegistry().register(new NodeStateCollector(reader, perNode));
        return registry.scrape();
    }

    private static NodeState node(String id, NodeStatus status, long heartbeats, long timeouts) {
        return new NodeState(id, status, status != NodeStatus.PENDING, null, Map.of(), AT, AT, null, null,
                heartbeats, timeouts, 1, AT, null);
    }
}
