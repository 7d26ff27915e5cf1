package io.llmlb.health.query.http;

import com.fasterxml.jackson.core.JsonGenerator;
import io.llmlb.health.http.MetricsService;
import io.llmlb.health.query.metrics.NodeStateCollector;
import io.llmlb.health.query.view.NodeEntry;
import io.llmlb.health.query.view.NodeView;
import io.llmlb.health.wire.GpuMetrics;
import io.llmlb.health.wire.NodeMetrics;
import io.llmlb.health.wire.NodeState;
import io.llmlb.health.wire.NodeStatus;
import io.llmlb.health.wire.SystemMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Instant;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A measurement, not a test (its name keeps it out of the suite): the CPU time of the thread that
 * writes a full {@code GET /v0/nodes} answer and a {@code /metrics} scrape with per-node series,
 * for 10,000 and 100,000 seed-like nodes, to a stream that discards the bytes. CPU time, not wall
 * time, so the figure holds on a machine shared with other work; the HTTP exchange and the client
 * are left out (the bench's wall-clock figures include them). Run it alone:
 * <pre>
 * mvn -q -B -pl query-api -am test -Dtest=ReadSideCpuMeasurement -Dsurefire.failIfNoSpecifiedTests=false
 * </pre>
 */
class ReadSideCpuMeasurement {

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private static final Instant AT = Instant.parse("2026-12-02T10:00:00Z");

    @Test
    void printsCpuPerAnswer() throws IOException {
        for (int nodes : new int[] {10_000, 100_000}) {
            NodeView view = fleet(nodes);
            long[] list = measure(nodes >= 100_000 ? 10 : 30, () -> writeList(view));
            PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
            NodeStateCollector collector = new NodeStateCollector(view, true);
            registry.getPrometheusRegistry().register(collector);
            long[] scrape = measure(nodes >= 100_000 ? 10 : 30, () -> MetricsService.write(registry,
                    collector.perNodeSeries(), "text/plain; version=0.0.4; charset=utf-8", OutputStream.nullOutputStream()));
            System.out.printf("read side at %,d nodes, thread CPU per answer (median / max of the runs after warm-up):"
                            + " full GET /v0/nodes %.1f / %.1f ms, /metrics with per-node series %.1f / %.1f ms%n", nodes,
                    list[list.length / 2] / 1e6, list[list.length - 1] / 1e6, scrape[scrape.length / 2] / 1e6,
                    scrape[scrape.length - 1] / 1e6);
        }
    }

    private interface Answer {
        void write() throws IOException;
    }

    private static long[] measure(int runs, Answer answer) throws IOException {
        for (int i = 0; i < runs; i++) {
            answer.write(); // warm-up: the JIT compiles the writers
        }
        long[] cpu = new long[runs];
        for (int i = 0; i < runs; i++) {
            long started = THREADS.getCurrentThreadCpuTime();
            answer.write();
            cpu[i] = THREADS.getCurrentThreadCpuTime() - started;
        }
        Arrays.sort(cpu);
        return cpu;
    }

    /** What {@code NodesService.list} does for a full list, minus the socket. */
    private static void writeList(NodeView view) throws IOException {
        Instant now = Instant.now();
        try (JsonGenerator json = NodeJson.generator(OutputStream.nullOutputStream())) {
            json.writeStartObject();
            json.writeArrayFieldStart("nodes");
            for (Iterator<NodeEntry> nodes = view.from(null, false); nodes.hasNext(); ) {
                NodeJson.write(json, nodes.next(), now, NodeJson.ALL_FIELDS);
            }
            json.writeEndArray();
            json.writeEndObject();
        }
    }

    /** Nodes as the bench's fleet sends them: online, GPU and system figures, one model. */
    private static NodeView fleet(int nodes) {
        NodeView view = new NodeView();
        for (int i = 0; i < nodes; i++) {
            String id = String.format("bench-%06d", i);
            NodeMetrics figures = new NodeMetrics(new GpuMetrics(10.0 + i % 80, 40.5 + i % 50, 55.0 + i % 30),
                    new SystemMetrics(12.5 + i % 70, 33.0 + i % 60), i % 8, List.of("llama-3.2-1b"));
            view.put(new NodeState(id, NodeStatus.ONLINE, true, id, Map.of(), AT, AT, AT, AT.plusSeconds(20),
                    100 + i, i % 3, 1, AT, null).withHeartbeat(AT, figures));
        }
        view.markCaughtUp();
        return view;
    }
}
