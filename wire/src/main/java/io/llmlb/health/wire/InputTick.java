package io.llmlb.health.wire;

import java.time.Instant;

/**
 * A liveness marker of the input path: every ingest replica writes one to every partition of the
 * {@code heartbeats} topic about once a second. It says "every heartbeat this replica received
 * before {@code upTo} is already in this partition before me". The state-processor judges a
 * node's silence only once such a marker has passed the node's deadline, and a gap between
 * markers is an outage of its own input path, never the nodes' silence.
 *
 * <p>Ticks are keyed {@link #KEY_PREFIX}{@code <replica>} ('@' is not allowed in node ids, so the
 * key never collides with a node) and carry the header {@link #HEADER}; readers of the heartbeats
 * topic other than the state-processor must skip records with that header.
 *
 * @param replicaId the ingest replica that wrote it (unique per process start)
 * @param upTo the replica's low watermark: its wall-clock time, or the receive time of the oldest
 *        heartbeat it has stamped but not yet handed to Kafka, whichever is earlier
 */
public record InputTick(String replicaId, Instant upTo) implements NodeEvent {

    /** Key prefix of tick records. */
    public static final String KEY_PREFIX = "@input-tick/";

    /** Header naming the record's kind; present (value {@link #HEADER_VALUE}) only on ticks. */
    public static final String HEADER = "llmlb-record";

    /** Value of {@link #HEADER} on ticks. */
    public static final String HEADER_VALUE = "input-tick";

    /** The record key of this tick. */
    public String key() {
        return KEY_PREFIX + replicaId;
    }
}
