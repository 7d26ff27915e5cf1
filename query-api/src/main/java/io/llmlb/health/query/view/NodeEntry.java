package io.llmlb.health.query.view;

import io.llmlb.health.wire.GpuMetrics;
import io.llmlb.health.wire.NodeMetrics;
import io.llmlb.health.wire.NodeState;
import io.llmlb.health.wire.NodeStatus;
import io.llmlb.health.wire.NodeSupervision;
import io.llmlb.health.wire.SystemMetrics;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The query API's compact copy of one node: what {@code GET /v0/nodes} shows, in primitive fields
 * rather than the {@link NodeState} object graph (an {@code Instant} per time, a {@code Double} per
 * figure, a record per group), because the view holds one per node of the fleet. Times are epoch
 * milliseconds ({@link #NONE} when absent; the API shows whole seconds), figures are doubles (NaN
 * when absent), the active-request count is {@link #NO_COUNT} when absent. Immutable, so readers on
 * other threads see a whole entry or the one before it.
 */
public final class NodeEntry {

    /** An absent time. */
    public static final long NONE = Long.MIN_VALUE;
    /** An absent active-request count. */
    public static final int NO_COUNT = Integer.MIN_VALUE;

    private static final byte HAS_METRICS = 1;
    private static final byte HAS_GPU = 2;
    private static final byte HAS_SYSTEM = 4;
    private static final byte MAINTENANCE = 8;
    private static final byte FLAPPING = 16;
    private static final byte INTERVAL_TOO_LONG = 32;

    private final String nodeId;
    private final NodeStatus state;
    private final boolean approved;
    private final byte present;
    private final String machineName;
    private final Map<String, String> labels;
    private final List<String> loadedModels;
    private final long registeredAt;
    private final long lastSeen;
    private final long onlineSince;
    private final long deadline;
    private final long stateSince;
    private final long heartbeats;
    private final long timeouts;
    private final long seq;
    private final double gpuUsage;
    private final double vramUsage;
    private final double temperature;
    private final double cpuUsage;
    private final double memoryUsage;
    private final int activeRequests;
    /** The admin's timeout and the declared interval, seconds (0: none); both fit a short (≤ 3600). */
    private final short timeoutSecs;
    private final short declaredIntervalSecs;

    private NodeEntry(NodeState node, String nodeId, String machineName, Map<String, String> labels,
                      List<String> loadedModels) {
        this.nodeId = nodeId;
        this.state = node.state();
        this.approved = node.approved();
        this.machineName = machineName;
        this.labels = labels;
        this.loadedModels = loadedModels;
        this.registeredAt = millis(node.registeredAt());
        this.lastSeen = millis(node.lastSeen());
        this.onlineSince = millis(node.onlineSince());
        this.deadline = millis(node.deadline());
        this.stateSince = millis(node.lastChangeAt());
        this.heartbeats = node.heartbeats();
        this.timeouts = node.timeouts();
        this.seq = node.seq();
        NodeMetrics latest = node.latest();
        GpuMetrics gpu = latest == null ? null : latest.gpuMetrics();
        SystemMetrics system = latest == null ? null : latest.systemMetrics();
        NodeSupervision supervision = node.supervised();
        this.present = (byte) ((latest == null ? 0 : HAS_METRICS) | (gpu == null ? 0 : HAS_GPU)
                | (system == null ? 0 : HAS_SYSTEM) | (supervision.maintenance() ? MAINTENANCE : 0)
                | (supervision.flapping() ? FLAPPING : 0) | (supervision.intervalTooLong() ? INTERVAL_TOO_LONG : 0));
        this.timeoutSecs = (short) supervision.timeoutSecs();
        this.declaredIntervalSecs = (short) supervision.declaredIntervalSecs();
        this.gpuUsage = figure(gpu == null ? null : gpu.usage());
        this.vramUsage = figure(gpu == null ? null : gpu.vramUsage());
        this.temperature = figure(gpu == null ? null : gpu.temperature());
        this.cpuUsage = figure(system == null ? null : system.cpuUsage());
        this.memoryUsage = figure(system == null ? null : system.memoryUsage());
        Integer active = latest == null ? null : latest.activeRequests();
        this.activeRequests = active == null ? NO_COUNT : active;
    }

    /**
     * The entry for {@code node}. Strings, labels and model lists equal to those of {@code previous}
     * (the node's entry before this update) or known to {@code shared} are taken from there, so a
     * heartbeat that changes only counters and figures keeps no new copy of them; a node's first
     * entry takes its id and machine name from {@code strings} (the registry's copy).
     */
    static NodeEntry of(NodeState node, NodeEntry previous, SharedValues shared, RegistryStrings strings) {
        String id = previous != null ? previous.nodeId : strings.nodeId(node.nodeId());
        String machine = previous != null && java.util.Objects.equals(previous.machineName, node.machineName())
                ? previous.machineName : strings.machineName(id, node.machineName());
        Map<String, String> labels = previous != null && java.util.Objects.equals(previous.labels, node.labels())
                ? previous.labels : shared.labels(node.labels());
        List<String> models = node.latest() == null ? null : node.latest().loadedModels();
        List<String> keptModels = previous != null && java.util.Objects.equals(previous.loadedModels, models)
                ? previous.loadedModels : shared.models(models);
        return new NodeEntry(node, id, machine, labels, keptModels);
    }

    private static long millis(Instant instant) {
        return instant == null ? NONE : instant.toEpochMilli();
    }

    private static double figure(Double value) {
        return value == null ? Double.NaN : value;
    }

    public String nodeId() {
        return nodeId;
    }

    public NodeStatus state() {
        return state;
    }

    public boolean approved() {
        return approved;
    }

    /** Host name, or null. */
    public String machineName() {
        return machineName;
    }

    /** Labels (never null; empty when none). */
    public Map<String, String> labels() {
        return labels == null ? Map.of() : labels;
    }

    /** Registration time, epoch ms, or {@link #NONE}. */
    public long registeredAt() {
        return registeredAt;
    }

    /** Receive time of the latest heartbeat, epoch ms, or {@link #NONE}. */
    public long lastSeen() {
        return lastSeen;
    }

    /** Start of the current online period, epoch ms, or {@link #NONE}. */
    public long onlineSince() {
        return onlineSince;
    }

    /** When the node times out unless it beats, epoch ms, or {@link #NONE} while not online. */
    public long deadline() {
        return deadline;
    }

    /** Time of the node's latest transition, epoch ms, or {@link #NONE}. */
    public long stateSince() {
        return stateSince;
    }

    public long heartbeats() {
        return heartbeats;
    }

    public long timeouts() {
        return timeouts;
    }

    /** Sequence number of the node's latest transition. */
    public long seq() {
        return seq;
    }

    /** Whether the latest heartbeat's figures are known at all. */
    public boolean hasMetrics() {
        return (present & HAS_METRICS) != 0;
    }

    /** Whether the latest heartbeat had GPU figures. */
    public boolean hasGpu() {
        return (present & HAS_GPU) != 0;
    }

    /** Whether the latest heartbeat had host figures. */
    public boolean hasSystem() {
        return (present & HAS_SYSTEM) != 0;
    }

    /** Whether an admin put the node in maintenance (no timeout verdict). */
    public boolean maintenance() {
        return (present & MAINTENANCE) != 0;
    }

    /** Whether the node flips between online and offline too often. */
    public boolean flapping() {
        return (present & FLAPPING) != 0;
    }

    /** Whether the node's declared heartbeat interval is more than half its timeout. */
    public boolean intervalTooLong() {
        return (present & INTERVAL_TOO_LONG) != 0;
    }

    /** The node's own timeout set by an admin, seconds, or 0 for the fleet's. */
    public int timeoutSecs() {
        return timeoutSecs;
    }

    /** The heartbeat interval the node declared, seconds, or 0. */
    public int declaredIntervalSecs() {
        return declaredIntervalSecs;
    }

    /** GPU utilisation, percent, or NaN. */
    public double gpuUsage() {
        return gpuUsage;
    }

    /** VRAM in use, percent, or NaN. */
    public double vramUsage() {
        return vramUsage;
    }

    /** GPU temperature, °C, or NaN. */
    public double temperature() {
        return temperature;
    }

    /** Host CPU utilisation, percent, or NaN. */
    public double cpuUsage() {
        return cpuUsage;
    }

    /** Host memory in use, percent, or NaN. */
    public double memoryUsage() {
        return memoryUsage;
    }

    /** In-flight requests, or {@link #NO_COUNT}. */
    public int activeRequests() {
        return activeRequests;
    }

    /** Loaded models of the latest heartbeat, or null. */
    public List<String> loadedModels() {
        return loadedModels;
    }

    /** Seconds online so far at {@code now}, or -1 while not online. */
    public long uptimeSeconds(Instant now) {
        if (state != NodeStatus.ONLINE || onlineSince == NONE) {
            return -1;
        }
        return Math.max(0, Duration.ofMillis(now.toEpochMilli() - onlineSince).toSeconds());
    }
}
