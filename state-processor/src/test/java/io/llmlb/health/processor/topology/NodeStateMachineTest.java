package io.llmlb.health.processor.topology;

import io.llmlb.health.wire.Reason;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.llmlb.health.wire.Heartbeat;
import io.llmlb.health.wire.NodeState;
import io.llmlb.health.wire.NodeStatus;
import io.llmlb.health.wire.Registration;
import io.llmlb.health.wire.RegistryCommand;
import io.llmlb.health.wire.StateChange;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The state machine alone: pure functions of (state, event, now), no Kafka, no driver. The
 * topology test checks the same rules through the processor; this one pins each rule's fields.
 */
class NodeStateMachineTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");
    private static final String HASH = "a".repeat(64);

    private final NodeStateMachine machine = new NodeStateMachine(TIMEOUT);

    @Test
    void registrationMakesAPendingNodeWithItsFirstTransition() {
        Outcome outcome = machine.onRegistration(null, registration(false, RegistryCommand.REGISTERED, T0), T0);

        NodeState pending = outcome.next();
        assertEquals(NodeStatus.PENDING, pending.state());
        assertFalse(pending.approved());
        assertNull(pending.deadline());
        assertEquals(1, pending.seq());
        assertEquals(new StateChange("node-1", null, NodeStatus.PENDING, Reason.REGISTERED, T0, null, 1),
                outcome.change());
    }

    @Test
    void pendingNodeHeartbeatsAreCountedButNeverMakeItOnline() {
        NodeState pending = registered();
        Outcome outcome = machine.onHeartbeat(pending, heartbeat(T0.plusSeconds(5)), T0.plusSeconds(5));

        assertEquals(NodeStatus.PENDING, outcome.next().state());
        assertEquals(1, outcome.next().heartbeats());
        assertEquals(T0.plusSeconds(5), outcome.next().lastSeen());
        assertNull(outcome.change());
    }

    @Test
    void approvalProcessedLateGivesAFullTimeoutFromProcessing() {
        Instant clicked = T0.plusSeconds(10);
        Instant processed = T0.plusSeconds(100);
        Outcome outcome = machine.onRegistration(registered(), registration(true, RegistryCommand.APPROVED, clicked),
                processed);

        NodeState online = outcome.next();
        assertEquals(NodeStatus.ONLINE, online.state());
        assertTrue(online.approved());
        assertEquals(clicked, online.onlineSince());
        assertEquals(processed.plus(TIMEOUT), online.deadline(), "a full timeout from processing, not from the click");
        assertEquals(2, online.seq());
        assertEquals(Reason.APPROVED, outcome.change().reason());
    }

    @Test
    void heartbeatWhileOnlineMovesTheDeadlineAndKeepsTheFigures() {
        NodeState online = online(T0);
        Instant seenAt = T0.plusSeconds(30);
        Outcome outcome = machine.onHeartbeat(online, heartbeat(seenAt), seenAt);

        assertEquals(seenAt.plus(TIMEOUT), outcome.next().deadline());
        assertEquals(online.heartbeats() + 1, outcome.next().heartbeats());
        assertEquals(List.of("llama-3.2-1b"), outcome.next().latest().loadedModels());
        assertEquals(online.seq(), outcome.next().seq(), "no transition, no new seq");
        assertNull(outcome.change());
    }

    @Test
    void deadlinePassedMakesTheNodeOfflineAndCountsOneTimeout() {
        NodeState online = online(T0);
        Instant judged = online.deadline().plusMillis(1);
        Outcome outcome = machine.onDeadline(online, judged);

        NodeState offline = outcome.next();
        assertEquals(NodeStatus.OFFLINE, offline.state());
        assertEquals(1, offline.timeouts());
        assertNull(offline.deadline());
        assertNull(offline.onlineSince());
        assertEquals(online.seq() + 1, offline.seq());
        assertEquals(new StateChange("node-1", NodeStatus.ONLINE, NodeStatus.OFFLINE, Reason.TIMEOUT, judged,
                online.lastSeen(), online.seq() + 1), outcome.change());
    }

    @Test
    void deadlineNotYetPassedChangesNothing() {
        NodeState online = online(T0);
        Outcome outcome = machine.onDeadline(online, online.deadline());
        assertSame(online, outcome.next());
        assertFalse(outcome.stateChanged());
    }

    @Test
    void freshHeartbeatBringsAnOfflineNodeBackButAStaleOneDoesNot() {
        NodeState offline = machine.onDeadline(online(T0), T0.plus(TIMEOUT).plusSeconds(1)).next();

        Instant now = T0.plus(TIMEOUT).plusSeconds(5);
        Outcome stale = machine.onHeartbeat(offline, heartbeat(now.minus(TIMEOUT)), now);
        assertEquals(NodeStatus.OFFLINE, stale.next().state(), "a heartbeat older than a timeout proves nothing");

        Outcome fresh = machine.onHeartbeat(offline, heartbeat(now), now);
        assertEquals(NodeStatus.ONLINE, fresh.next().state());
        assertEquals(now, fresh.next().onlineSince());
        assertEquals(now.plus(TIMEOUT), fresh.next().deadline());
        assertEquals(Reason.HEARTBEAT, fresh.change().reason());
        assertEquals(offline.seq() + 1, fresh.change().seq());
    }

    @Test
    void disconnectForcesAnOnlineNodeOffline() {
        Instant at = T0.plusSeconds(20);
        Outcome outcome = machine.onRegistration(online(T0), registration(true, RegistryCommand.DISCONNECTED, at), at);
        assertEquals(NodeStatus.OFFLINE, outcome.next().state());
        assertEquals(Reason.DISCONNECTED, outcome.change().reason());
        assertEquals(0, outcome.next().timeouts(), "a disconnect is not a timeout");
    }

    @Test
    void removalEndsTheNodeWithAFinalTransition() {
        NodeState online = online(T0);
        Outcome outcome = machine.onRemoval(online, T0.plusSeconds(9));
        assertNull(outcome.next());
        assertEquals(Reason.REMOVED, outcome.change().reason());
        assertNull(outcome.change().to());
        assertEquals(online.seq() + 1, outcome.change().seq());
    }

    @Test
    void deferralOnlyEverMovesADeadlineLater() {
        NodeState online = online(T0);
        Instant later = online.deadline().plusSeconds(30);
        assertEquals(later, machine.deferred(online, later).next().deadline());
        assertTrue(machine.isDeferred(machine.deferred(online, later).next()));
        assertSame(online, machine.deferred(online, online.deadline().minusSeconds(1)).next());
        assertFalse(machine.isDeferred(online));
    }

    private NodeState registered() {
        return machine.onRegistration(null, registration(false, RegistryCommand.REGISTERED, T0), T0).next();
    }

    /** A node approved at {@code at} that beat once at {@code at}. */
    private NodeState online(Instant at) {
        NodeState approved = machine.onRegistration(registered(), registration(true, RegistryCommand.APPROVED, at), at)
                .next();
        return machine.onHeartbeat(approved, heartbeat(at), at).next();
    }

    private static Registration registration(boolean approved, RegistryCommand command, Instant at) {
        return new Registration("node-1", HASH, approved, "gpu-box", Map.of(), T0, command, at);
    }

    private static Heartbeat heartbeat(Instant receivedAt) {
        return new Heartbeat("node-1", receivedAt, null, null, 2, List.of("llama-3.2-1b"));
    }
}
