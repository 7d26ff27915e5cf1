package io.llmlb.health.query.history;

import io.llmlb.health.query.MutableClock;
import io.llmlb.health.wire.Reason;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.llmlb.health.wire.NodeStatus;
import io.llmlb.health.wire.StateChange;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FleetHistoryTest {

    private static final Instant START = Instant.parse("2026-12-01T12:00:00Z");

    private final MutableClock clock = new MutableClock(START);

    private static StateChange change(String node, NodeStatus from, NodeStatus to, Reason reason, Instant at) {
        return new StateChange(node, from, to, reason, at, null, 1);
    }

    @Test
    void nodesPerStateOverTheHourAreRebuiltFromTransitionsInAnyOrder() {
        // Given: a query-api started at 12:30 that replays the changes topic, partitions interleaved.
        clock.advance(Duration.ofMinutes(30));
        FleetHistory history = new FleetHistory(clock);
        Instant registered = START.plusSeconds(5);
        Instant online = START.plusSeconds(65);
        Instant offline = START.plusSeconds(20 * 60 + 3);
        history.onTransition(change("node-1", NodeStatus.ONLINE, NodeStatus.OFFLINE, Reason.TIMEOUT, offline));
        history.onTransition(change("node-1", null, NodeStatus.PENDING, Reason.REGISTERED, registered));
        history.onTransition(change("node-2", null, NodeStatus.PENDING, Reason.REGISTERED, registered));
        history.onTransition(change("node-1", NodeStatus.PENDING, NodeStatus.ONLINE, Reason.APPROVED, online));
        history.onTransition(change("node-2", NodeStatus.PENDING, NodeStatus.ONLINE, Reason.APPROVED, online));

        // When: charted with today's counts (one online, one offline).
        FleetHistory.Chart chart = history.chart(Map.of(NodeStatus.ONLINE, 1L, NodeStatus.OFFLINE, 1L));

        // Then: each slot shows the counts at its end.
        assertEquals(FleetHistory.SLOTS, chart.at().size());
        assertEquals(START.plus(Duration.ofMinutes(30)).minusSeconds((FleetHistory.SLOTS - 1) * 10L), chart.at().getFirst());
        assertEquals(List.of(0L, 2L, 0L, 0L), at(chart, registered.minusSeconds(10), registered, online, offline,
                NodeStatus.PENDING));
        assertEquals(List.of(0L, 0L, 2L, 1L), at(chart, registered.minusSeconds(10), registered, online, offline,
                NodeStatus.ONLINE));
        assertEquals(List.of(0L, 0L, 0L, 1L), at(chart, registered.minusSeconds(10), registered, online, offline,
                NodeStatus.OFFLINE));
        assertEquals(1L, chart.timeouts().get(index(chart, offline)));
        assertEquals(0L, chart.timeouts().get(index(chart, online)));
    }

    @Test
    void heartbeatRateIsKnownOnlyFromWhenThisProcessStarted() {
        FleetHistory history = new FleetHistory(clock);
        clock.advance(Duration.ofSeconds(45));
        history.onHeartbeats(START.plusSeconds(5), 100); // before start: not counted
        history.onHeartbeats(START.plusSeconds(21), 30);
        history.onHeartbeats(START.plusSeconds(29), 20);

        FleetHistory.Chart chart = history.chart(Map.of());

        assertNull(chart.heartbeatsPerSecond().get(index(chart, START)), "before this process: unknown");
        assertEquals(5.0, chart.heartbeatsPerSecond().get(index(chart, START.plusSeconds(20))));
        assertEquals(0.0, chart.heartbeatsPerSecond().get(index(chart, START.plusSeconds(30))));
    }

    @Test
    void slotsOlderThanTheHourAreDroppedAndReused() {
        FleetHistory history = new FleetHistory(clock);
        history.onTransition(change("node-1", null, NodeStatus.PENDING, Reason.REGISTERED, START));
        clock.advance(Duration.ofMinutes(61));
        history.onTransition(change("node-2", null, NodeStatus.PENDING, Reason.REGISTERED, START));

        FleetHistory.Chart chart = history.chart(Map.of(NodeStatus.PENDING, 2L));

        // The hour holds no transition: the count is flat, at today's value.
        assertEquals(2L, chart.nodes().get(NodeStatus.PENDING).getFirst());
        assertEquals(2L, chart.nodes().get(NodeStatus.PENDING).getLast());
    }

    private static int index(FleetHistory.Chart chart, Instant at) {
        Instant slot = Instant.ofEpochSecond(Math.floorDiv(at.getEpochSecond(), FleetHistory.STEP_SECONDS)
                * FleetHistory.STEP_SECONDS);
        return chart.at().indexOf(slot);
    }

    private static List<Long> at(FleetHistory.Chart chart, Instant a, Instant b, Instant c, Instant d,
                                 NodeStatus state) {
        List<Long> counts = chart.nodes().get(state);
        return List.of(counts.get(index(chart, a)), counts.get(index(chart, b)), counts.get(index(chart, c)),
                counts.get(index(chart, d)));
    }
}
