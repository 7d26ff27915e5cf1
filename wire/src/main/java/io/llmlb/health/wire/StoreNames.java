package io.llmlb.health.wire;

/** Names of the Kafka Streams state stores, in one place so no literal is repeated. */
public final class StoreNames {

    /** State-processor: the current {@link NodeState} per node (persistent, changelogged). */
    public static final String NODE_STATE = "node-state-store";

    /** State-processor: per ingest replica, the latest {@link InputTick} seen on the task's partition (changelogged). */
    public static final String INPUT_TICKS = "input-tick-store";

    /** State-processor: per node, the request id of the latest heartbeat applied (changelogged). */
    public static final String LAST_REQUEST = "last-request-store";

    /** State-processor: heartbeats of nodes whose registration it has not processed yet (changelogged). */
    public static final String EARLY_HEARTBEATS = "early-heartbeat-store";

    private StoreNames() {
    }
}
