package io.llmlb.health.query.history;

import io.llmlb.health.query.view.NodeEntry;
import io.llmlb.health.wire.GpuMetrics;
import io.llmlb.health.wire.NodeMetrics;
import io.llmlb.health.wire.NodeState;
import io.llmlb.health.wire.SystemMetrics;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Each node's metrics over the last hour, one point per {@value #STEP_SECONDS}-second slot (the
 * slot's latest heartbeat, at its own time), in a ring of {@value #SLOTS} slots per node allocated once: an int and
 * six shorts per slot, about {@value #BYTES_PER_NODE} bytes per node with the arrays' headers, so
 * 2 MB per 1,000 nodes whatever the heartbeat rate. Values are kept to two decimals (percent and
 * degrees times 100 in a short; active requests up to 32,767).
 *
 * <p>Fed from the node-state topic. After a restart, what that compacted topic still holds beyond
 * each node's latest state (records the log cleaner has not yet removed) is replayed into it; the
 * rest of the hour is lost, because the heartbeats themselves are not the query-api's to read.
 */
public final class NodeMetricHistory {

    /** Width of one slot. */
    public static final int STEP_SECONDS = 30;
    /** Slots kept per node: one hour. */
    public static final int SLOTS = 120;
    /** Memory per node, measured as laid out: 6 × (120 × 2 + 16) + (120 × 4 + 16) + the holder. */
    public static final int BYTES_PER_NODE = 2_100;

    private static final short MISSING = Short.MIN_VALUE;
    private static final String[] METRICS = {"gpu", "vram", "temperature", "cpu", "memory", "active_requests"};
    /** Stored value = value × scale: two decimals for percent and degrees, whole requests. */
    private static final int[] SCALE = {100, 100, 100, 100, 100, 1};

    /** One node's hour: {@code at} holds the time of each point; each metric's list is aligned with it (null: not sent). */
    public record Chart(List<Instant> at, Map<String, List<Double>> metrics) {
    }

    private static final class Series {
        /** Epoch second of the heartbeat kept in each slot (an int lasts until 2038, and halves the memory). */
        final int[] second = new int[SLOTS];
        final short[][] values = new short[METRICS.length][SLOTS];
        long heartbeats = -1;
    }

    private final Clock clock;
    private final Map<String, Series> byNode = new ConcurrentHashMap<>();

    public NodeMetricHistory(Clock clock) {
        this.clock = clock;
    }

    /**
     * Keeps the metrics of {@code state}'s latest heartbeat in the slot of its time.
     *
     * @return heartbeats the node received since the previous state seen (0 for the first)
     */
    public long record(NodeState state) {
        return record(state.nodeId(), state.heartbeats(),
                state.lastSeen() == null ? null : state.lastSeen().getEpochSecond(),
                state.latest() == null ? null : values(state.latest()));
    }

    /** As {@link #record(NodeState)}, from the node view's entry (what the query-api follows). */
    public long record(NodeEntry node) {
        double[] values = null;
        if (node.hasMetrics()) {
            values = new double[] {node.gpuUsage(), node.vramUsage(), node.temperature(), node.cpuUsage(),
                node.memoryUsage(), node.activeRequests() == NodeEntry.NO_COUNT ? Double.NaN : node.activeRequests()};
        }
        return record(node.nodeId(), node.heartbeats(),
                node.lastSeen() == NodeEntry.NONE ? null : Math.floorDiv(node.lastSeen(), 1000L), values);
    }

    private long record(String nodeId, long heartbeats, Long lastSeenSecond, double[] values) {
        Series series = byNode.computeIfAbsent(nodeId, id -> new Series());
        synchronized (series) {
            long received = series.heartbeats < 0 ? 0 : Math.max(0, heartbeats - series.heartbeats);
            series.heartbeats = heartbeats;
            if (lastSeenSecond != null && values != null) {
                int second = (int) (long) lastSeenSecond;
                int index = Math.floorMod(Math.floorDiv(second, STEP_SECONDS), SLOTS);
                if (series.second[index] <= second) {
                    series.second[index] = second;
                    for (int metric = 0; metric < METRICS.length; metric++) {
                        series.values[metric][index] = encode(values[metric] * SCALE[metric]);
                    }
                }
            }
            return received;
        }
    }

    /** Forgets a removed node. */
    public void forget(String nodeId) {
        byNode.remove(nodeId);
    }

    /** The node's points of the last hour, oldest first; empty when nothing was recorded for it. */
    public Optional<Chart> chart(String nodeId) {
        Series series = byNode.get(nodeId);
        if (series == null) {
            return Optional.empty();
        }
        long nowSlot = Math.floorDiv(clock.instant().getEpochSecond(), STEP_SECONDS);
        List<Instant> at = new ArrayList<>();
        List<List<Double>> columns = new ArrayList<>();
        for (int metric = 0; metric < METRICS.length; metric++) {
            columns.add(new ArrayList<>());
        }
        synchronized (series) {
            for (long slot = nowSlot - SLOTS + 1; slot <= nowSlot; slot++) {
                int index = (int) Math.floorMod(slot, (long) SLOTS);
                if (Math.floorDiv(series.second[index], STEP_SECONDS) != slot) {
                    continue;
                }
                at.add(Instant.ofEpochSecond(series.second[index]));
                for (int metric = 0; metric < METRICS.length; metric++) {
                    columns.get(metric).add(decode(series.values[metric][index], SCALE[metric]));
                }
            }
        }
        Map<String, List<Double>> metrics = new java.util.LinkedHashMap<>();
        for (int metric = 0; metric < METRICS.length; metric++) {
            metrics.put(METRICS[metric], columns.get(metric));
        }
        return Optional.of(new Chart(at, metrics));
    }

    /** How many nodes have a ring. */
    public int nodes() {
        return byNode.size();
    }

    private static double[] values(NodeMetrics latest) {
        GpuMetrics gpu = latest.gpuMetrics();
        SystemMetrics system = latest.systemMetrics();
        double[] values = new double[METRICS.length];
        Arrays.fill(values, Double.NaN);
        if (gpu != null) {
            values[0] = orNaN(gpu.usage());
            values[1] = orNaN(gpu.vramUsage());
            values[2] = orNaN(gpu.temperature());
        }
        if (system != null) {
            values[3] = orNaN(system.cpuUsage());
            values[4] = orNaN(system.memoryUsage());
        }
        values[5] = latest.activeRequests() == null ? Double.NaN : latest.activeRequests();
        return values;
    }

    private static double orNaN(Double value) {
        return value == null ? Double.NaN : value;
    }

    private static short encode(double value) {
        if (Double.isNaN(value)) {
            return MISSING;
        }
        return (short) Math.max(Short.MIN_VALUE + 1, Math.min(Short.MAX_VALUE, Math.round(value)));
    }

    private static Double decode(short stored, int scale) {
        return stored == MISSING ? null : (double) stored / scale;
    }
}
