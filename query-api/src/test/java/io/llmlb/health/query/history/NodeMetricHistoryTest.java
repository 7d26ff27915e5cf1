package io.llmlb.health.query.history;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.llmlb.health.query.MutableClock;
import io.llmlb.health.wire.GpuMetrics;
import io.llmlb.health.wire.NodeMetrics;
import io.llmlb.health.wire.NodeState;
import io.llmlb.health.wire.NodeStatus;
import io.llmlb.health.wire.SystemMetrics;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NodeMetricHistoryTest {

    private static final Instant START = Instant.parse("2026-12-01T12:00:00Z");

    private final MutableClock clock = new MutableClock(START);
    private final NodeMetricHistory history = new NodeMetricHistory(clock);

    private static NodeState beat(long heartbeats, Instant seen, Double gpu, Integer active) {
        NodeMetrics metrics = new NodeMetrics(new GpuMetrics(gpu, 78.25, 65.0), new SystemMetrics(30.0, null), active,
                List.of("m"));
        return new NodeState("node-1", NodeStatus.ONLINE, true, null, Map.of(), START, seen, START, null, heartbeats, 0,
                2, START, metrics);
    }

    @Test
    void keepsTheLatestHeartbeatOfEachSlotWithTwoDecimals() {
        assertEquals(0, history.record(beat(1, START.plusSeconds(1), 10.0, 1)));
        assertEquals(1, history.record(beat(2, START.plusSeconds(11), 45.5, 2)));
        assertEquals(3, history.record(beat(5, START.plusSeconds(31), 50.0, 40_000)));
        clock.advance(Duration.ofSeconds(40));

        NodeMetricHistory.Chart chart = history.chart("node-1").orElseThrow();

        assertEquals(List.of(START.plusSeconds(11), START.plusSeconds(31)), chart.at(), "each point at its heartbeat's time");
        assertEquals(List.of(45.5, 50.0), chart.metrics().get("gpu"));
        assertEquals(List.of(78.25, 78.25), chart.metrics().get("vram"));
        assertEquals(List.of(2.0, 32_767.0), chart.metrics().get("active_requests"), "capped, not wrapped");
        assertNull(chart.metrics().get("memory").getFirst(), "not sent: null, not 0");
    }

    @Test
    void forgetsWhatIsOlderThanAnHourAndRemovedNodes() {
        history.record(beat(1, START, 10.0, 1));
        clock.advance(Duration.ofMinutes(30));
        history.record(beat(2, clock.instant(), 20.0, 1));
        clock.advance(Duration.ofMinutes(31));

        assertEquals(List.of(20.0), history.chart("node-1").orElseThrow().metrics().get("gpu"));

        history.forget("node-1");
        assertTrue(history.chart("node-1").isEmpty());
        assertEquals(0, history.nodes());
    }

    @Test
    void aRingGrowsAsPointsArriveAndKeepsTheLatestHourOnceFull() {
        // Given a node beating once per slot for 130 slots (the ring starts at 4 points and must grow to 120)
        for (int slot = 0; slot < 130; slot++) {
            history.record(beat(slot + 1, clock.instant(), (double) slot, 1));
            clock.advance(Duration.ofSeconds(NodeMetricHistory.STEP_SECONDS));
        }
        clock.advance(Duration.ofSeconds(-NodeMetricHistory.STEP_SECONDS));

        NodeMetricHistory.Chart chart = history.chart("node-1").orElseThrow();

        assertEquals(NodeMetricHistory.SLOTS, chart.at().size(), "one hour of slots");
        assertEquals(10.0, chart.metrics().get("gpu").getFirst(), "the ten oldest slots are dropped");
        assertEquals(129.0, chart.metrics().get("gpu").getLast());
        assertEquals(clock.instant(), chart.at().getLast());
    }

    @Test
    void aPointOlderThanTheNewestSlotIsDropped() {
        history.record(beat(1, START.plusSeconds(61), 20.0, 1));
        history.record(beat(2, START.plusSeconds(5), 10.0, 1));
        clock.advance(Duration.ofSeconds(70));

        assertEquals(List.of(20.0), history.chart("node-1").orElseThrow().metrics().get("gpu"));
    }
}
