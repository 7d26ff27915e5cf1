package io.llmlb.health.processor.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.llmlb.health.processor.config.FlapSettings;
import io.llmlb.health.wire.Heartbeat;
import io.llmlb.health.wire.NodeState;
import io.llmlb.health.wire.NodeStatus;
import io.llmlb.health.wire.NodeSupervision;
import io.llmlb.health.wire.Reason;
import io.llmlb.health.wire.Registration;
import io.llmlb.health.wire.RegistryCommand;
import io.llmlb.health.wire.StateChange;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Maintenance, flapping and per-node timeouts in the pure state machine (issue 16, items 3 to 5).
 */
class NodeSupervisionMachineTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final Duration FLAP_WINDOW = Duration.ofSeconds(100);
    private static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");
    private static final String HASH = "a".repeat(64);

    private final NodeStateMachine machine = new NodeStateMachine(TIMEOUT, new FlapSettings(2, FLAP_WINDOW));

    // --- maintenance --------------------------------------------------------------------------

    @Test
    void maintenanceStartIsATransitionKeepingTheStateAndDroppingTheDeadline() {
        NodeState online = online(T0);
        Outcome outcome = machine.onRegistration(online, maintenance(true, T0.plusSeconds(5)), T0.plusSeconds(5));

        NodeState inMaintenance = outcome.next();
        assertEquals(NodeStatus.ONLINE, inMaintenance.state());
        assertTrue(inMaintenance.supervised().maintenance());
        assertNull(inMaintenance.deadline(), "no deadline: no timeout verdict");
        assertEquals(online.seq() + 1, inMaintenance.seq());
        assertEquals(new StateChange("node-1", NodeStatus.ONLINE, NodeStatus.ONLINE, Reason.MAINTENANCE_STARTED,
                T0.plusSeconds(5), T0, online.seq() + 1), outcome.change());
    }

    @Test
    void nodeInMaintenanceIsNeverTimedOutButItsHeartbeatsCount() {
        NodeState inMaintenance = machine.onRegistration(online(T0), maintenance(true, T0), T0).next();

        Outcome late = machine.onDeadline(inMaintenance, T0.plusSeconds(3600));
        assertSame(inMaintenance, late.next());
        assertNull(late.change());

        Outcome beat = machine.onHeartbeat(inMaintenance, heartbeat(T0.plusSeconds(500), null), T0.plusSeconds(500));
        assertEquals(T0.plusSeconds(500), beat.next().lastSeen());
        assertEquals(inMaintenance.heartbeats() + 1, beat.next().heartbeats());
        assertNull(beat.next().deadline());
    }

    @Test
    void maintenanceEndGivesAFullTimeoutFromItsProcessing() {
        NodeState inMaintenance = machine.onRegistration(online(T0), maintenance(true, T0), T0).next();
        Instant end = T0.plusSeconds(1000);
        Outcome outcome = machine.onRegistration(inMaintenance, maintenance(false, end), end);

        assertFalse(outcome.next().supervised().maintenance());
        assertNull(outcome.next().supervision(), "nothing set is stored as null");
        assertEquals(end.plus(TIMEOUT), outcome.next().deadline());
        assertEquals(Reason.MAINTENANCE_ENDED, outcome.change().reason());
        assertEquals(inMaintenance.seq() + 1, outcome.change().seq());
    }

    @Test
    void offlineNodeInMaintenanceComesBackOnlineWithoutADeadline() {
        NodeState offline = machine.onDeadline(online(T0), T0.plusSeconds(61)).next();
        NodeState inMaintenance = machine.onRegistration(offline, maintenance(true, T0.plusSeconds(70)),
                T0.plusSeconds(70)).next();
        Outcome beat = machine.onHeartbeat(inMaintenance, heartbeat(T0.plusSeconds(80), null), T0.plusSeconds(80));

        assertEquals(NodeStatus.ONLINE, beat.next().state());
        assertNull(beat.next().deadline());
    }

    @Test
    void registryEntryRepeatingTheMaintenanceFlagChangesNothing() {
        NodeState inMaintenance = machine.onRegistration(online(T0), maintenance(true, T0), T0).next();
        Registration rotated = maintenance(true, T0).withToken("b".repeat(64), T0.plusSeconds(1));
        Outcome outcome = machine.onRegistration(inMaintenance, rotated, T0.plusSeconds(1));

        assertNull(outcome.change());
        assertTrue(outcome.next().supervised().maintenance());
    }

    // --- flapping -----------------------------------------------------------------------------

    @Test
    void nodeFlippingMoreThanTheThresholdWithinTheWindowIsMarkedFlapping() {
        NodeState node = online(T0);
        // flips 1 and 2: offline, online
        node = machine.onDeadline(node, T0.plusSeconds(61)).next();
        node = machine.onHeartbeat(node, heartbeat(T0.plusSeconds(62), null), T0.plusSeconds(62)).next();
        assertFalse(node.supervised().flapping(), "two flips are not more than the threshold of 2");

        Outcome third = machine.onDeadline(node, T0.plusSeconds(62 + 61));
        assertTrue(third.next().supervised().flapping());
        assertEquals(Reason.TIMEOUT, third.change().reason());
        assertEquals(new StateChange("node-1", NodeStatus.OFFLINE, NodeStatus.OFFLINE, Reason.FLAPPING_STARTED,
                T0.plusSeconds(123), T0.plusSeconds(62), third.change().seq() + 1), third.followUp());
        assertEquals(third.followUp().seq(), third.next().seq());
        assertEquals(List.of(third.change(), third.followUp()), third.changes());
    }

    @Test
    void flipsSpreadOverMoreThanTheWindowNeverMakeANodeFlapping() {
        NodeState node = online(T0);
        Instant at = T0;
        for (int flip = 0; flip < 6; flip++) {
            at = at.plus(FLAP_WINDOW).plusSeconds(1);
            node = node.state() == NodeStatus.ONLINE
                    ? machine.onRegistration(node, registration(RegistryCommand.DISCONNECTED, at), at).next()
                    : machine.onHeartbeat(node, heartbeat(at, null), at).next();
        }
        assertFalse(node.supervised().flapping());
        assertEquals(1, node.supervised().flips(), "each flip opened a new window");
    }

    @Test
    void flappingEndsAfterAWholeWindowWithoutAFlip() {
        NodeState node = online(T0);
        Instant at = T0;
        for (int flip = 0; flip < 3; flip++) {
            at = at.plusSeconds(1);
            node = node.state() == NodeStatus.ONLINE
                    ? machine.onRegistration(node, registration(RegistryCommand.DISCONNECTED, at), at).next()
                    : machine.onHeartbeat(node, heartbeat(at, null), at).next();
        }
        assertTrue(node.supervised().flapping());
        assertEquals(at.plus(FLAP_WINDOW), machine.flappingSettlesAt(node));
        assertNull(machine.onFlappingSettled(node, at.plus(FLAP_WINDOW).minusMillis(1)).change());

        Outcome settled = machine.onFlappingSettled(node, at.plus(FLAP_WINDOW));
        assertFalse(settled.next().supervised().flapping());
        assertEquals(Reason.FLAPPING_ENDED, settled.change().reason());
        assertEquals(node.seq() + 1, settled.change().seq());
        assertNull(machine.flappingSettlesAt(settled.next()));
    }

    // --- per-node timeouts --------------------------------------------------------------------

    @Test
    void adminTimeoutMovesTheDeadline() {
        NodeState online = online(T0);
        Outcome outcome = machine.onRegistration(online, timeout(200, T0.plusSeconds(1)), T0.plusSeconds(1));

        assertEquals(T0.plusSeconds(200), outcome.next().deadline());
        assertEquals(200, outcome.next().supervised().timeoutSecs());
        assertNull(outcome.change(), "a timeout change is not a transition");

        Outcome back = machine.onRegistration(outcome.next(), timeout(0, T0.plusSeconds(2)), T0.plusSeconds(2));
        assertEquals(T0.plus(TIMEOUT), back.next().deadline());
    }

    @Test
    void declaredIntervalWithinHalfTheTimeoutIsNotFlagged() {
        NodeState beat = machine.onHeartbeat(online(T0), heartbeat(T0.plusSeconds(10), 30), T0.plusSeconds(10)).next();

        assertEquals(30, beat.supervised().declaredIntervalSecs());
        assertFalse(beat.supervised().intervalTooLong());
        assertEquals(T0.plusSeconds(10).plus(TIMEOUT), beat.deadline());
    }

    @Test
    void nodeBeatingAtADeclaredPaceTooSlowForItsTimeoutIsFlaggedAndNeverTimedOut() {
        NodeState node = online(T0);
        Instant at = T0;
        for (int beat = 0; beat < 5; beat++) {
            at = at.plusSeconds(45);
            assertNull(machine.onDeadline(node, at).change(), "beating every 45 s never times out");
            node = machine.onHeartbeat(node, heartbeat(at, 45), at).next();
        }
        assertTrue(node.supervised().intervalTooLong());
        assertEquals(Duration.ofSeconds(95), machine.timeoutOf(node), "two intervals plus the slack");
        assertEquals(at.plusSeconds(95), node.deadline());
        assertEquals(Reason.TIMEOUT, machine.onDeadline(node, at.plusSeconds(96)).change().reason(),
                "silent for two intervals and the slack, it is offline");
    }

    @Test
    void raisingTheTimeoutClearsTheIntervalFlag() {
        NodeState flagged = machine.onHeartbeat(online(T0), heartbeat(T0.plusSeconds(45), 45), T0.plusSeconds(45))
                .next();
        NodeState raised = machine.onRegistration(flagged, timeout(120, T0.plusSeconds(46)), T0.plusSeconds(46)).next();

        assertTrue(flagged.supervised().intervalTooLong());
        assertFalse(raised.supervised().intervalTooLong());
        assertEquals(T0.plusSeconds(45 + 120), raised.deadline());
    }

    @Test
    void nodeTimeoutsStretchOnlyIntervalsLongerThanHalfTheTimeout() {
        NodeSupervision none = NodeSupervision.NONE;
        assertEquals(TIMEOUT, NodeTimeouts.effective(TIMEOUT, none.withDeclaredInterval(30, false)));
        assertEquals(Duration.ofSeconds(67), NodeTimeouts.effective(TIMEOUT, none.withDeclaredInterval(31, true)));
        assertEquals(Duration.ofSeconds(300), NodeTimeouts.effective(TIMEOUT, none.withTimeoutSecs(300)));
        assertFalse(NodeTimeouts.intervalTooLong(TIMEOUT, none, 30));
        assertTrue(NodeTimeouts.intervalTooLong(TIMEOUT, none, 31));
        assertFalse(NodeTimeouts.intervalTooLong(TIMEOUT, none.withTimeoutSecs(300), 150));
    }

    // --- helpers ------------------------------------------------------------------------------

    /** A node approved at {@code at} that beat once at {@code at}. */
    private NodeState online(Instant at) {
        NodeState registered = machine.onRegistration(null, registration(RegistryCommand.REGISTERED, T0), T0).next();
        NodeState approved = machine.onRegistration(registered,
                registration(RegistryCommand.REGISTERED, T0).with(RegistryCommand.APPROVED, at), at).next();
        return machine.onHeartbeat(approved, heartbeat(at, null), at).next();
    }

    private static Registration registration(RegistryCommand command, Instant at) {
        return new Registration("node-1", HASH, command != RegistryCommand.REGISTERED, "gpu-box", Map.of(), T0,
                command, at);
    }

    private static Registration maintenance(boolean on, Instant at) {
        return registration(RegistryCommand.APPROVED, T0).withMaintenance(on, at);
    }

    private static Registration timeout(int seconds, Instant at) {
        return registration(RegistryCommand.APPROVED, T0).withTimeoutSecs(seconds, at);
    }

    private static Heartbeat heartbeat(Instant receivedAt, Integer intervalSecs) {
        return new Heartbeat("node-1", receivedAt, null, null, 2, List.of("llama-3.2-1b"), null, intervalSecs);
    }
}
