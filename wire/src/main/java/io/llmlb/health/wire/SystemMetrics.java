package io.llmlb.health.wire;

/**
 * Host figures a node reports; each may be absent.
 *
 * @param cpuUsage CPU utilisation, percent
 * @param memoryUsage memory in use, percent
 */
public record SystemMetrics(Double cpuUsage, Double memoryUsage) {
}
