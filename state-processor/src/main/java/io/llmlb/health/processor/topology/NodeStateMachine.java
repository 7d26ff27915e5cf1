package io.llmlb.health.processor.topology;

import io.llmlb.health.wire.Heartbeat;
import io.llmlb.health.wire.NodeMetrics;
import io.llmlb.health.wire.NodeState;
import io.llmlb.health.wire.NodeStatus;
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
 */
public final class NodeStateMachine {

    private final TimeoutPolicy policy;

    /** A machine with the timeout rule of {@code nodeTimeout} (tests of the pure transitions). */
    public NodeStateMachine(Duration nodeTimeout) {
        this(new TimeoutPolicy(nodeTimeout, io.llmlb.health.processor.config.SuspensionSettings.DEFAULT));
    }

    /** A machine whose deadlines follow {@code policy}, the one the processor asks at each sweep. */
    NodeStateMachine(TimeoutPolicy policy) {
        this.policy = policy;
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
        NodeState withMetadata = current.withRegistration(registration);
        return switch (registration.command()) {
            case APPROVED -> current.state() == NodeStatus.PENDING
                    ? approved(transition(withMetadata, NodeStatus.ONLINE, Reason.APPROVED, at, current.state()), now)
                    : Outcome.updated(withMetadata);
            case DISCONNECTED -> current.state() == NodeStatus.ONLINE
                    ? transition(withMetadata, NodeStatus.OFFLINE, Reason.DISCONNECTED, at, current.state())
                    : Outcome.updated(withMetadata);
            case REGISTERED, TOKEN_ROTATED -> Outcome.updated(withMetadata);
        };
    }

    private Outcome approved(Outcome approval, Instant now) {
        NodeState online = approval.next();
        Instant fairDeadline = deadline(online.lastSeen(), later(online.onlineSince(), now));
        return Outcome.transition(online.withDeadline(fairDeadline), approval.change());
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
        NodeState seen = current.withHeartbeat(lastSeen, NodeMetrics.of(heartbeat));
        if (current.state() == NodeStatus.ONLINE) {
            return Outcome.updated(seen.withDeadline(deadline(lastSeen, current.onlineSince())));
        }
        if (current.state() == NodeStatus.OFFLINE && current.approved() && policy.provesPresence(lastSeen, now)) {
            return transition(seen, NodeStatus.ONLINE, Reason.HEARTBEAT, heartbeat.receivedAt(), current.state());
        }
        return Outcome.updated(seen);
    }

    /** The punctuator found the node's deadline passed at {@code now}. */
    public Outcome onDeadline(NodeState current, Instant now) {
        if (current == null || current.state() != NodeStatus.ONLINE || current.deadline() == null
                || !now.isAfter(current.deadline())) {
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
        return state.deadline() != null && state.deadline().isAfter(deadline(state.lastSeen(), state.onlineSince()));
    }

    /** When a node online since {@code onlineSince} and last seen at {@code lastSeen} times out ({@link TimeoutPolicy}). */
    public Instant deadline(Instant lastSeen, Instant onlineSince) {
        return policy.deadline(lastSeen, onlineSince);
    }

    private Outcome transition(NodeState before, NodeStatus to, Reason reason, Instant at, NodeStatus from) {
        NodeState after = before.withTransition(to, at, deadline(before.lastSeen(), at));
        return Outcome.transition(after, new StateChange(after.nodeId(), from, to, reason, at, after.lastSeen(),
                after.seq()));
    }

    private static Instant later(Instant a, Instant b) {
        if (a == null) {
            return b;
        }
        return b == null || a.isAfter(b) ? a : b;
    }
}
