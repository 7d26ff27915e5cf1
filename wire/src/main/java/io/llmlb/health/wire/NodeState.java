package io.llmlb.health.wire;

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
                        NodeMetrics latest) {
}
