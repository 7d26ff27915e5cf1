package io.llmlb.health.wire;

import java.time.Instant;

/**
 * One transition of one node, as written to {@code node-state-changes}.
 *
 * @param nodeId the node
 * @param from the state left, null at registration
 * @param to the state entered, null at removal
 * @param reason why: registered, approved, heartbeat, timeout, disconnected or removed
 * @param at when the transition happened
 * @param lastSeen the node's last heartbeat at that moment, or null
 * @param seq rises by exactly one per node and transition
 */
public record StateChange(String nodeId,
                          NodeStatus from,
                          NodeStatus to,
                          Reason reason,
                          Instant at,
                          Instant lastSeen,
                          long seq) {
}
