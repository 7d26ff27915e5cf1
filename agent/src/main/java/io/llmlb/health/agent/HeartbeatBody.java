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
 */
public record HeartbeatBody(String nodeId,
                            GpuMetrics gpuMetrics,
                            SystemMetrics systemMetrics,
                            Integer activeRequests,
                            List<String> loadedModels) {
}
