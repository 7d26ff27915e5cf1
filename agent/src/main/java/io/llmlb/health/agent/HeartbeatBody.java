package io.llmlb.health.agent;

import io.llmlb.health.wire.GpuMetrics;
import io.llmlb.health.wire.SystemMetrics;
import java.util.List;

/**
 * The body of {@code POST /v0/health} as the seed defines it; absent figures are left out of the
 * JSON rather than sent as null.
 *
 * @param nodeId the node
 * @param gpuMetrics GPU figures, absent without nvidia-smi
 * @param systemMetrics CPU and memory figures
 * @param activeRequests in-flight requests, absent unless a probe is configured
 * @param loadedModels loaded models, absent unless a probe is configured
 * @param heartbeatIntervalSecs the interval the agent beats at ({@code XLLM_HEARTBEAT_SECS}); the
 *        server never times the node out merely for beating at this pace
 */
public record HeartbeatBody(String nodeId,
                            GpuMetrics gpuMetrics,
                            SystemMetrics systemMetrics,
                            Integer activeRequests,
                            List<String> loadedModels,
                            Integer heartbeatIntervalSecs) {

    /** A body that declares no interval (the seed's own example). */
    public HeartbeatBody(String nodeId, GpuMetrics gpuMetrics, SystemMetrics systemMetrics, Integer activeRequests,
                         List<String> loadedModels) {
        this(nodeId, gpuMetrics, systemMetrics, activeRequests, loadedModels, null);
    }
}
