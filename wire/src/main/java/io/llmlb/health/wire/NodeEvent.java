package io.llmlb.health.wire;

/** What the state-processor consumes per node: a registry entry or a heartbeat. */
public sealed interface NodeEvent permits Registration, Heartbeat {

    /** The node the event is about; also the record key. */
    String nodeId();
}
