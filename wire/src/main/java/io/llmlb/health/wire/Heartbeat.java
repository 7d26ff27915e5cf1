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
 */
public record Heartbeat(String nodeId,
                        Instant receivedAt,
                        GpuMetrics gpuMetrics,
                        SystemMetrics systemMetrics,
                        Integer activeRequests,
                        List<String> loadedModels) implements NodeEvent {
}
