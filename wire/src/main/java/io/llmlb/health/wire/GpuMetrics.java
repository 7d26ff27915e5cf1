package io.llmlb.health.wire;

/**
 * GPU figures a node reports; each may be absent (the seed's Python client sends no temperature).
 *
 * @param usage GPU utilisation, percent
 * @param vramUsage VRAM in use, percent
 * @param temperature degrees Celsius
 */
public record GpuMetrics(Double usage, Double vramUsage, Double temperature) {
}
