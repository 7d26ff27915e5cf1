package io.llmlb.health.wire;

import java.util.List;

/**
 * The figures of a node's latest heartbeat, kept in its state for the API and dashboard.
 *
 * @param gpuMetrics GPU figures, or null
 * @param systemMetrics host figures, or null
 * @param activeRequests in-flight requests, or null
 * @param loadedModels loaded models, or null
 */
public record NodeMetrics(GpuMetrics gpuMetrics,
                          SystemMetrics systemMetrics,
                          Integer activeRequests,
                          List<String> loadedModels) {

    /** The figures carried by {@code heartbeat}. */
    public static NodeMetrics of(Heartbeat heartbeat) {
        return new NodeMetrics(heartbeat.gpuMetrics(), heartbeat.systemMetrics(),
                heartbeat.activeRequests(), heartbeat.loadedModels());
    }
}
