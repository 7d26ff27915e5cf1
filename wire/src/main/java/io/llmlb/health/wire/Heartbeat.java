package io.llmlb.health.wire;

import java.time.Instant;
import java.util.List;

/**
 * One accepted heartbeat, as written to the {@code heartbeats} topic.
 *
 * @param nodeId the node that sent it (already checked against its token)
 * @param receivedAt the server's receive time; last_seen never comes from the node's clock
 * @param gpuMetrics optional GPU figures
 * @param systemMetrics optional host figures
 * @param activeRequests optional count of in-flight inference requests
 * @param loadedModels optional names of loaded models
 * @param requestId the gateway's id of the HTTP request that carried it, or null; a retry of one
 *        request (the gateway tries another replica after a connection error) keeps the id, so
 *        the state-processor counts it once
 * @param intervalSecs the heartbeat interval the node declares ({@code heartbeat_interval_secs},
 *        the agent's {@code XLLM_HEARTBEAT_SECS}), or null
 */
public record Heartbeat(String nodeId,
                        Instant receivedAt,
                        GpuMetrics gpuMetrics,
                        SystemMetrics systemMetrics,
                        Integer activeRequests,
                        List<String> loadedModels,
                        String requestId,
                        Integer intervalSecs) implements NodeEvent {

    /** The range of a declared interval, seconds: wider than the seed's 10–60 so a too-slow node can say so. */
    public static final int MIN_INTERVAL_SECS = 1;
    public static final int MAX_INTERVAL_SECS = 3600;

    /** Whether {@code intervalSecs} is absent or within the range (a record from Kafka is checked too). */
    public static boolean isValidInterval(Integer intervalSecs) {
        return intervalSecs == null || (intervalSecs >= MIN_INTERVAL_SECS && intervalSecs <= MAX_INTERVAL_SECS);
    }

    /** A heartbeat that declares no interval. */
    public Heartbeat(String nodeId, Instant receivedAt, GpuMetrics gpuMetrics, SystemMetrics systemMetrics,
                     Integer activeRequests, List<String> loadedModels, String requestId) {
        this(nodeId, receivedAt, gpuMetrics, systemMetrics, activeRequests, loadedModels, requestId, null);
    }

    /** A heartbeat that came without a request id. */
    public Heartbeat(String nodeId, Instant receivedAt, GpuMetrics gpuMetrics, SystemMetrics systemMetrics,
                     Integer activeRequests, List<String> loadedModels) {
        this(nodeId, receivedAt, gpuMetrics, systemMetrics, activeRequests, loadedModels, null);
    }
}
