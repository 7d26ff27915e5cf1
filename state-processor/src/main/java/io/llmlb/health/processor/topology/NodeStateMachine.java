package io.llmlb.health.processor.topology;

import io.llmlb.health.processor.config.FlapSettings;
import io.llmlb.health.processor.config.SuspensionSettings;
import io.llmlb.health.wire.Heartbeat;
import io.llmlb.health.wire.NodeMetrics;
import io.llmlb.health.wire.NodeState;
import io.llmlb.health.wire.NodeStatus;
import io.llmlb.health.wire.NodeSupervision;
import io.llmlb.health.wire.Reason;
import io.llmlb.health.wire.Registration;
import io.llmlb.health.wire.StateChange;
import java.time.Duration;
import java.time.Instant;

/**
 * The seed's state machine, as pure functions of (current state, event, now):
 * <pre>
 * register ──▶ pending ──approve──▶ online ◀── heartbeat
 *                                     │ no heartbeat for the timeout
 *                                     ▼
 *                                  offline ──heartbeat──▶ online
 * </pre>
 * Only an approval leads out of pending: heartbeats of a pending node update its last_seen and
 * counts, nothing else.
 *
 * <p>Besides its state a node has a {@link NodeSupervision}: a node in maintenance has no deadline
 * (no timeout verdict) while its heartbeats still count; a node's deadline follows its own timeout
 * ({@link NodeTimeouts}); a node flipping between online and offline too often is flapping
 * ({@link FlapDetector}). Maintenance and flapping starting or ending are transitions that keep the
 * state ({@code from} equals {@code to}) and take the next seq.
 */
public final class NodeStateMachine {

    private final TimeoutPolicy policy;
    private final FlapDetector flaps;

    /** A machine with the timeout rule of {@code nodeTimeout} (tests of the pure transitions). */
    public NodeStateMachine(Duration nodeTimeout) {
        this(nodeTimeout, FlapSettings.DEFAULT);
    }

    /** A machine with the timeout rule of {@code nodeTimeout} and the flap rule of {@code flapping}. */
    public NodeStateMachine(Duration nodeTimeout, FlapSettings flapping) {
        this(new TimeoutPolicy(nodeTimeout, SuspensionSettings.DEFAULT), flapping);
    }

    /** A machine whose deadlines follow {@code policy}, the one the processor asks at each sweep. */
    NodeStateMachine(TimeoutPolicy policy, FlapSettings flapping) {
        this.policy = policy;
        this.flaps = new FlapDetector(flapping);
    }

    /**
     * A registry entry arrived for the node (registration or an admin command), processed at
     * {@code now}. An approval gives the node one full timeout from when it is processed, not
     * from when the admin clicked: a processor that was behind must not expire it on arrival.
     */
    public Outcome onRegistration(NodeState current, Registration registration, Instant now) {
        Instant at = registration.commandAt();
        if (current == null) {
            return registration.approved()
                    ? approved(transition(NodeState.registered(registration), NodeStatus.ONLINE, Reason.APPROVED, at, null), now)
                    : transition(NodeState.registered(registration), NodeStatus.PENDING, Reason.REGISTERED, at, null);
        }
        NodeState withMetadata = withOwnTimeout(current.withRegistration(registration), registration.timeoutSecs());
        Outcome applied = switch (registration.command()) {
            case APPROVED -> current.state() == NodeStatus.PENDING
                    ? approved(transition(withMetadata, NodeStatus.ONLINE, Reason.APPROVED, at, current.state()), now)
                    : Outcome.updated(withMetadata);
            case DISCONNECTED -> current.state() == NodeStatus.ONLINE
                    ? transition(withMetadata, NodeStatus.OFFLINE, Reason.DISCONNECTED, at, current.state())
                    : Outcome.updated(withMetadata);
            case REGISTERED, TOKEN_ROTATED, MAINTENANCE_STARTED, MAINTENANCE_ENDED, TIMEOUT_SET ->
                    Outcome.updated(withMetadata);
        };
        // The entry carries the maintenance flag itself, not only its command: whatever entry comes
        // next (a token rotation), the node's maintenance follows the registry.
        return registration.maintenance() == current.supervised().maintenance()
                ? applied : maintenance(applied, registration.maintenance(), at, now);
    }

    /** {@code node} with the admin's timeout {@code timeoutSecs} (0: the fleet's) and its deadline moved to it. */
    private NodeState withOwnTimeout(NodeState node, int timeoutSecs) {
        NodeSupervision supervision = node.supervised();
        if (supervision.timeoutSecs() == timeoutSecs) {
            return node;
        }
        NodeSupervision timed = supervision.withTimeoutSecs(timeoutSecs);
        timed = timed.withDeclaredInterval(timed.declaredIntervalSecs(),
                NodeTimeouts.intervalTooLong(policy.nodeTimeout(), timed, timed.declaredIntervalSecs()));
        NodeState retimed = node.withSupervision(timed);
        // A shorter timeout may put the deadline in the past: the next sweep judges it, as the admin asked.
        return node.deadline() == null ? retimed
                : retimed.withDeadline(deadlineOf(retimed, retimed.lastSeen(), retimed.onlineSince()));
    }

    /**
     * Maintenance started or ended at {@code at}, after {@code applied}: a transition keeping the
     * state. While in maintenance the node has no deadline; at its end an online node gets a full
     * timeout from when the end is processed, as after an approval.
     */
    private Outcome maintenance(Outcome applied, boolean on, Instant at, Instant now) {
        NodeState before = applied.next();
        NodeState marked = before.withSupervision(before.supervised().withMaintenance(on)).withMarkerTransition(at);
        Instant newDeadline = on || before.state() != NodeStatus.ONLINE ? null
                : deadlineOf(marked, marked.lastSeen(), later(marked.onlineSince(), now));
        NodeState after = marked.withDeadline(newDeadline);
        StateChange change = marker(after, on ? Reason.MAINTENANCE_STARTED : Reason.MAINTENANCE_ENDED, at);
        return applied.change() == null ? Outcome.transition(after, change)
                : new Outcome(after, applied.change(), true, change);
    }

    /**
     * The punctuator found that a flapping node kept its state for a whole flap window at
     * {@code now}: flapping ends, its flip memory is forgotten.
     */
    public Outcome onFlappingSettled(NodeState current, Instant now) {
        if (current == null || !flaps.hasSettled(current.supervised(), now)) {
            return Outcome.unchanged(current);
        }
        NodeState after = current.withSupervision(FlapDetector.settled(current.supervised())).withMarkerTransition(now);
        return Outcome.transition(after, marker(after, Reason.FLAPPING_ENDED, now));
    }

    /** When the flapping node {@code state} stops flapping if it keeps its state, or null when it is not flapping. */
    public Instant flappingSettlesAt(NodeState state) {
        NodeSupervision supervision = state == null ? NodeSupervision.NONE : state.supervised();
        return supervision.flapping() && supervision.lastFlip() != null ? flaps.settlesAt(supervision) : null;
    }

    private Outcome approved(Outcome approval, Instant now) {
        NodeState online = approval.next();
        Instant fairDeadline = online.supervised().maintenance() ? null
                : deadlineOf(online, online.lastSeen(), later(online.onlineSince(), now));
        return new Outcome(online.withDeadline(fairDeadline), approval.change(), true, approval.followUp());
    }

    /** The node was deleted from the registry. */
    public Outcome onRemoval(NodeState current, Instant at) {
        if (current == null) {
            return Outcome.unchanged(null);
        }
        StateChange change = new StateChange(current.nodeId(), current.state(), null, Reason.REMOVED, at,
                current.lastSeen(), current.seq() + 1);
        return new Outcome(null, change, true);
    }

    /**
     * A heartbeat was processed at {@code now}. A heartbeat older than one timeout cannot bring
     * an offline node back: it proves nothing about the present (it waited in the topic).
     */
    public Outcome onHeartbeat(NodeState current, Heartbeat heartbeat, Instant now) {
        if (current == null) {
            return Outcome.unchanged(null);
        }
        Instant lastSeen = later(current.lastSeen(), heartbeat.receivedAt());
        NodeState seen = withDeclaredInterval(current.withHeartbeat(lastSeen, NodeMetrics.of(heartbeat)),
                heartbeat.intervalSecs());
        if (current.state() == NodeStatus.ONLINE) {
            return Outcome.updated(seen.withDeadline(seen.supervised().maintenance() ? null
                    : deadlineOf(seen, lastSeen, current.onlineSince())));
        }
        if (current.state() == NodeStatus.OFFLINE && current.approved()
                && policy.provesPresence(lastSeen, now, timeoutOf(seen))) {
            return transition(seen, NodeStatus.ONLINE, Reason.HEARTBEAT, heartbeat.receivedAt(), current.state());
        }
        return Outcome.updated(seen);
    }

    /** {@code node} declaring a heartbeat interval of {@code intervalSecs} (null: as before), flagged when too long. */
    private NodeState withDeclaredInterval(NodeState node, Integer intervalSecs) {
        NodeSupervision supervision = node.supervised();
        if (intervalSecs == null || intervalSecs == supervision.declaredIntervalSecs()) {
            return node;
        }
        return node.withSupervision(supervision.withDeclaredInterval(intervalSecs,
                NodeTimeouts.intervalTooLong(policy.nodeTimeout(), supervision, intervalSecs)));
    }

    /** The punctuator found the node's deadline passed at {@code now}. A node in maintenance is never judged. */
    public Outcome onDeadline(NodeState current, Instant now) {
        if (current == null || current.state() != NodeStatus.ONLINE || current.deadline() == null
                || current.supervised().maintenance() || !now.isAfter(current.deadline())) {
            return Outcome.unchanged(current);
        }
        return transition(current.withTimeoutCounted(), NodeStatus.OFFLINE, Reason.TIMEOUT, now, current.state());
    }

    /**
     * The node with its deadline moved to {@code fairDeadline} when that is later: the silence its
     * deadline would judge overlapped an outage of the monitor's own input path.
     */
    public Outcome deferred(NodeState current, Instant fairDeadline) {
        if (current == null || current.state() != NodeStatus.ONLINE || current.deadline() == null
                || fairDeadline == null || !fairDeadline.isAfter(current.deadline())) {
            return Outcome.unchanged(current);
        }
        return Outcome.updated(current.withDeadline(fairDeadline));
    }

    /**
     * Whether the node's deadline is later than its silence alone gives (a grace for an input
     * outage, or an approval processed late): a verdict on it was deferred, not late.
     */
    public boolean isDeferred(NodeState state) {
        return state.deadline() != null
                && state.deadline().isAfter(deadlineOf(state, state.lastSeen(), state.onlineSince()));
    }

    /** The silence after which {@code node} is offline: its own timeout ({@link NodeTimeouts}). */
    public Duration timeoutOf(NodeState node) {
        return NodeTimeouts.effective(policy.nodeTimeout(), node.supervised());
    }

    private Instant deadlineOf(NodeState node, Instant lastSeen, Instant onlineSince) {
        return policy.deadline(lastSeen, onlineSince, timeoutOf(node));
    }

    /** When a node with the fleet's timeout, online since {@code onlineSince} and last seen at {@code lastSeen}, times out. */
    public Instant deadline(Instant lastSeen, Instant onlineSince) {
        return policy.deadline(lastSeen, onlineSince);
    }

    /**
     * A transition to {@code to}; one between online and offline is a flip, and the flip that
     * makes the node flapping is followed by a flapping-started transition with the next seq.
     */
    private Outcome transition(NodeState before, NodeStatus to, Reason reason, Instant at, NodeStatus from) {
        Instant newDeadline = before.supervised().maintenance() ? null : deadlineOf(before, before.lastSeen(), at);
        NodeState after = before.withTransition(to, at, newDeadline);
        StateChange change = new StateChange(after.nodeId(), from, to, reason, at, after.lastSeen(), after.seq());
        if (!isFlip(from, to)) {
            return Outcome.transition(after, change);
        }
        FlapDetector.Flip flip = flaps.onFlip(after.supervised(), at);
        NodeState counted = after.withSupervision(flip.supervision());
        if (!flip.started()) {
            return Outcome.transition(counted, change);
        }
        NodeState flapping = counted.withMarkerTransition(at);
        return new Outcome(flapping, change, true, marker(flapping, Reason.FLAPPING_STARTED, at));
    }

    private static boolean isFlip(NodeStatus from, NodeStatus to) {
        return (from == NodeStatus.ONLINE && to == NodeStatus.OFFLINE)
                || (from == NodeStatus.OFFLINE && to == NodeStatus.ONLINE);
    }

    /** A transition that keeps the state of {@code after}, which already carries its seq. */
    private static StateChange marker(NodeState after, Reason reason, Instant at) {
        return new StateChange(after.nodeId(), after.state(), after.state(), reason, at, after.lastSeen(), after.seq());
    }

    private static Instant later(Instant a, Instant b) {
        if (a == null) {
            return b;
        }
        return b == null || a.isAfter(b) ? a : b;
    }
}
