package io.llmlb.health.wire;

import java.util.List;

/**
 * The topics of the pipeline, keyed by node id (detector events: by task) with JSON values. One prefix
 * ({@code LLMLB_TOPIC_PREFIX}, default {@code llmlb.}) lets several fleets share a cluster.
 *
 * @param prefix prepended to every topic name
 */
public record Topics(String prefix) {

    public static final String DEFAULT_PREFIX = "llmlb.";

    public Topics {
        if (prefix == null) {
            throw new IllegalArgumentException("topic prefix must not be null");
        }
    }

    /** Compacted: one {@link Registration} per node, tombstone when deleted. */
    public String nodeRegistry() {
        return prefix + "node-registry";
    }

    /** Retained: every accepted {@link Heartbeat}. */
    public String heartbeats() {
        return prefix + "heartbeats";
    }

    /** Compacted: the full {@link NodeState} of each node, tombstone when removed. */
    public String nodeState() {
        return prefix + "node-state";
    }

    /** Retained: every {@link StateChange}. */
    public String nodeStateChanges() {
        return prefix + "node-state-changes";
    }

    /** Retained: every {@link DetectorEvent}, keyed by the detector's task. */
    public String detectorEvents() {
        return prefix + "detector-events";
    }

    /** Every topic, in creation order. */
    public List<String> all() {
        return List.of(nodeRegistry(), heartbeats(), nodeState(), nodeStateChanges(), detectorEvents());
    }

    /** Topics whose latest value per key is the truth and older values may be compacted away. */
    public boolean isCompacted(String topic) {
        return topic.equals(nodeRegistry()) || topic.equals(nodeState());
    }
}
