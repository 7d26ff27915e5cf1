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
