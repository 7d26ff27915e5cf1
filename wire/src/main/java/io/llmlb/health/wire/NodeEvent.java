package io.llmlb.health.wire;

/**
 * What the state-processor consumes from its two co-partitioned input topics: a registry entry,
 * a heartbeat, or an ingest replica's liveness tick (which travels on the heartbeats topic).
 */
public sealed interface NodeEvent permits Registration, Heartbeat, InputTick {
}
