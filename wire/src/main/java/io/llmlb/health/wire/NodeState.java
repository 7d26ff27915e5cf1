package io.llmlb.health.wire;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.Map;

/**
 * Everything known about one node, as materialised by the state-processor and written to the
 * compacted {@code node-state} topic.
 *
 * @param nodeId the node
 * @param state pending, online or offline
 * @param approved whether an admin approved the node
 * @param machineName optional host name
 * @param labels optional labels
 * @param registeredAt registration time
 * @param lastSeen receive time of the latest heartbeat, or null before the first
 * @param onlineSince start of the current online period, or null while not online
 * @param deadline when the node times out unless it heartbeats, or null while not online
 * @param heartbeats heartbeats received in the node's lifetime
 * @param timeouts times the node went offline by timeout
 * @param seq sequence number of the node's latest transition (rises by one per transition)
 * @param lastChangeAt time of the latest transition
 * @param latest figures of the latest heartbeat, or null
 * @param supervision maintenance, own timeout, declared interval and flap memory; null when none is set
 */
public record NodeState(String nodeId,
                        NodeStatus state,
                        boolean approved,
                        String machineName,
                        Map<String, String> labels,
                        Instant registeredAt,
                        Instant lastSeen,
                        Instant onlineSince,
                        Instant deadline,
                        long heartbeats,
                        long timeouts,
                        long seq,
                        Instant lastChangeAt,
                        NodeMetrics latest,
                        // Left out of the JSON when null (most nodes): no bytes on node-state for what is unused.
                        @JsonInclude(JsonInclude.Include.NON_NULL) NodeSupervision supervision) {

    /** A node watched by the fleet's defaults (no {@link NodeSupervision}). */
    public NodeState(String nodeId, NodeStatus state, boolean approved, String machineName, Map<String, String> labels,
                     Instant registeredAt, Instant lastSeen, Instant onlineSince, Instant deadline, long heartbeats,
                     long timeouts, long seq, Instant lastChangeAt, NodeMetrics latest) {
        this(nodeId, state, approved, machineName, labels, registeredAt, lastSeen, onlineSince, deadline, heartbeats,
                timeouts, seq, lastChangeAt, latest, null);
    }

    // Named changes instead of positional copies: five Instants in a row let two swapped
    // arguments compile; each method below names the one thing that changes.

    /** This node after a heartbeat received at {@code seenAt} carrying {@code figures}: counted, figures kept. */
    public NodeState withHeartbeat(Instant seenAt, NodeMetrics figures) {
        return new NodeState(nodeId, state, approved, machineName, labels, registeredAt, seenAt, onlineSince,
                deadline, heartbeats + 1, timeouts, seq, lastChangeAt, figures, supervision);
    }

    /** This node with {@code extra} more heartbeats counted (held until its registration was known). */
    public NodeState withHeartbeatsCounted(long extra) {
        return new NodeState(nodeId, state, approved, machineName, labels, registeredAt, lastSeen, onlineSince,
                deadline, heartbeats + extra, timeouts, seq, lastChangeAt, latest, supervision);
    }

    /** This node with another deadline (null: none). */
    public NodeState withDeadline(Instant newDeadline) {
        return new NodeState(nodeId, state, approved, machineName, labels, registeredAt, lastSeen, onlineSince,
                newDeadline, heartbeats, timeouts, seq, lastChangeAt, latest, supervision);
    }

    /** This node with one more timeout counted. */
    public NodeState withTimeoutCounted() {
        return new NodeState(nodeId, state, approved, machineName, labels, registeredAt, lastSeen, onlineSince,
                deadline, heartbeats, timeouts + 1, seq, lastChangeAt, latest, supervision);
    }

    /** This node with the registry's metadata of {@code registration}; approval is never taken back. */
    public NodeState withRegistration(Registration registration) {
        return new NodeState(nodeId, state, approved || registration.approved(), registration.machineName(),
                registration.labels(), registration.registeredAt(), lastSeen, onlineSince, deadline, heartbeats,
                timeouts, seq, lastChangeAt, latest, supervision);
    }

    /**
     * This node after a transition to {@code to} at {@code at}: the next {@code seq}, online since
     * {@code at} and due at {@code newDeadline} when {@code to} is online (an online node is approved),
     * neither otherwise.
     */
    public NodeState withTransition(NodeStatus to, Instant at, Instant newDeadline) {
        boolean online = to == NodeStatus.ONLINE;
        return new NodeState(nodeId, to, approved || online, machineName, labels, registeredAt, lastSeen,
                online ? at : null, online ? newDeadline : null, heartbeats, timeouts, seq + 1, at, latest, supervision);
    }

    /**
     * This node after a transition that keeps its state (maintenance or flapping started or ended)
     * at {@code at}: the next {@code seq}, same state and deadline.
     */
    public NodeState withMarkerTransition(Instant at) {
        return new NodeState(nodeId, state, approved, machineName, labels, registeredAt, lastSeen, onlineSince,
                deadline, heartbeats, timeouts, seq + 1, at, latest, supervision);
    }

    /** This node with {@code next} supervision; one with nothing set is stored as null. */
    public NodeState withSupervision(NodeSupervision next) {
        NodeSupervision kept = next == null || next.setsNothing() ? null : next;
        return new NodeState(nodeId, state, approved, machineName, labels, registeredAt, lastSeen, onlineSince,
                deadline, heartbeats, timeouts, seq, lastChangeAt, latest, kept);
    }

    /** The node's supervision, {@link NodeSupervision#NONE} when none is set. */
    public NodeSupervision supervised() {
        return NodeSupervision.of(supervision);
    }

    /** A node just registered: pending, never seen. */
    public static NodeState registered(Registration registration) {
        return new NodeState(registration.nodeId(), NodeStatus.PENDING, registration.approved(),
                registration.machineName(), registration.labels(), registration.registeredAt(),
                null, null, null, 0, 0, 0, registration.registeredAt(), null);
    }
}
