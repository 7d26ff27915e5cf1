package io.llmlb.health.query.http;

import io.llmlb.health.wire.NodeMetrics;
import io.llmlb.health.wire.NodeState;
import io.llmlb.health.wire.NodeStatus;
import io.llmlb.health.wire.StateChange;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How a node looks in the API: the seed's {@code id}, {@code state}, {@code last_seen}
 * (RFC 3339, UTC, whole seconds like {@code 2025-01-01T12:00:00Z}) first, then the extras.
 */
final class NodeJson {

    private NodeJson() {
    }

    static Map<String, Object> of(NodeState node, Instant now) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("id", node.nodeId());
        json.put("state", node.state().wireName());
        json.put("last_seen", rfc3339(node.lastSeen()));
        json.put("approved", node.approved());
        json.put("machine_name", node.machineName());
        json.put("labels", node.labels() == null ? Map.of() : node.labels());
        json.put("registered_at", rfc3339(node.registeredAt()));
        json.put("online_since", rfc3339(node.onlineSince()));
        json.put("uptime_seconds", uptimeSeconds(node, now));
        json.put("heartbeats", node.heartbeats());
        json.put("timeouts", node.timeouts());
        // For the dashboard's per-row clock: time left until the deadline, or how long offline.
        json.put("deadline", rfc3339(node.deadline()));
        json.put("state_since", rfc3339(node.lastChangeAt()));
        NodeMetrics latest = node.latest();
        json.put("gpu_metrics", latest == null ? null : latest.gpuMetrics());
        json.put("system_metrics", latest == null ? null : latest.systemMetrics());
        json.put("active_requests", latest == null ? null : latest.activeRequests());
        json.put("loaded_models", latest == null ? null : latest.loadedModels());
        return json;
    }

    /** One transition as the API shows it: {@code {"from","to","reason","at","last_seen","seq"}}. */
    static Map<String, Object> transition(StateChange change) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("from", change.from() == null ? null : change.from().wireName());
        json.put("to", change.to() == null ? null : change.to().wireName());
        json.put("reason", change.reason());
        json.put("at", rfc3339(change.at()));
        json.put("last_seen", rfc3339(change.lastSeen()));
        json.put("seq", change.seq());
        return json;
    }

    /** Seconds online so far, or null while not online. */
    static Long uptimeSeconds(NodeState node, Instant now) {
        if (node.state() != NodeStatus.ONLINE || node.onlineSince() == null) {
            return null;
        }
        return Math.max(0, Duration.between(node.onlineSince(), now).toSeconds());
    }

    static String rfc3339(Instant instant) {
        return instant == null ? null : instant.truncatedTo(ChronoUnit.SECONDS).toString();
    }
}
