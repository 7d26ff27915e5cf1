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
 * slot's latest heartbeat, at its own time): at most {@value #SLOTS} points per node. Values are kept
 * to two decimals (percent and degrees times 100 in a short; active requests up to 32,767).
 *
 * <p>A node's points live in one {@code short[]} ring that grows as points arrive (from
 * {@value #INITIAL_POINTS} points, doubling, up to {@value #SLOTS}) rather than being allocated
 * whole for every node up front: a node that beats rarely, or has only just appeared, costs what it
 * holds. A point is {@value #POINT_SHORTS} shorts (its epoch second in two, then six metrics), so a
 * node with a full hour holds {@value #FULL_BYTES_PER_NODE} bytes; a node with no metrics sent yet
 * holds no ring at all, only its heartbeat count.
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
    /** Points a node's ring starts with; it doubles when full, up to {@link #SLOTS}. */
    static final int INITIAL_POINTS = 4;
    /** Shorts per point: the epoch second (high and low half), then one per metric. */
    static final int POINT_SHORTS = 8;
    /** Heap of a node holding a full hour, as laid out: the ring (120 × 8 × 2 + 16 = 1,936), the holder (32) and its map entry (32). */
    public static final int FULL_BYTES_PER_NODE = 2_000;

    private static final short MISSING = Short.MIN_VALUE;
    private static final String[] METRICS = {"gpu", "vram", "temperature", "cpu", "memory", "active_requests"};
    /** Stored value = value × scale: two decimals for percent and degrees, whole requests. */
    private static final int[] SCALE = {100, 100, 100, 100, 100, 1};

    /** One node's hour: {@code at} holds the time of each point; each metric's list is aligned with it (null: not sent). */
    public record Chart(List<Instant> at, Map<String, List<Double>> metrics) {
    }

    /** One node's points, oldest first, in a ring of {@code points.length / POINT_SHORTS} points. */
    private static final class Series {
        long heartbeats = -1;
        /** Null until the node's first point. */
        short[] points;
        /** Ring position of the oldest point. */
        int oldest;
        int count;

        int capacity() {
            return points == null ? 0 : points.length / POINT_SHORTS;
        }

        /** Offset in {@link #points} of the {@code nth} point, oldest first. */
        int offset(int nth) {
            return ((oldest + nth) % capacity()) * POINT_SHORTS;
        }

        int second(int nth) {
            int at = offset(nth);
            return (points[at] << 16) | (points[at + 1] & 0xFFFF);
        }

        void write(int nth, int second, double[] values) {
            int at = offset(nth);
            points[at] = (short) (second >>> 16);
            points[at + 1] = (short) second;
            for (int metric = 0; metric < METRICS.length; metric++) {
                points[at + 2 + metric] = encode(values[metric] * SCALE[metric]);
            }
        }

        /** Makes room for one more point: drops points older than the hour, grows, or drops the oldest. */
        void makeRoom(long newSlot) {
            if (points == null) {
                points = new short[INITIAL_POINTS * POINT_SHORTS];
                return;
            }
            while (count > 0 && Math.floorDiv(second(0), STEP_SECONDS) <= newSlot - SLOTS) {
                oldest = (oldest + 1) % capacity();
                count--;
            }
            if (count < capacity()) {
                return;
            }
            if (capacity() < SLOTS) {
                short[] grown = new short[Math.min(SLOTS, capacity() * 2) * POINT_SHORTS];
                for (int nth = 0; nth < count; nth++) {
                    System.arraycopy(points, offset(nth), grown, nth * POINT_SHORTS, POINT_SHORTS);
                }
                points = grown;
                oldest = 0;
            } else {
                oldest = (oldest + 1) % capacity();
                count--;
            }
        }
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
                keep(series, (int) (long) lastSeenSecond, values);
            }
            return received;
        }
    }

    /**
     * Keeps a point in its slot. A point older than the node's newest slot is dropped: a node's states
     * arrive in order on its partition (one writer per node), so only a clock set back would send one.
     */
    private static void keep(Series series, int second, double[] values) {
        long slot = Math.floorDiv(second, STEP_SECONDS);
        if (series.count > 0) {
            int newest = series.second(series.count - 1);
            long newestSlot = Math.floorDiv(newest, STEP_SECONDS);
            if (slot < newestSlot || (slot == newestSlot && second < newest)) {
                return;
            }
            if (slot == newestSlot) {
                series.write(series.count - 1, second, values);
                return;
            }
        }
        series.makeRoom(slot);
        series.write(series.count, second, values);
        series.count++;
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
            for (int nth = 0; nth < series.count; nth++) {
                int second = series.second(nth);
                long slot = Math.floorDiv(second, STEP_SECONDS);
                if (slot <= nowSlot - SLOTS || slot > nowSlot) {
                    continue;
                }
                at.add(Instant.ofEpochSecond(second));
                int offset = series.offset(nth);
                for (int metric = 0; metric < METRICS.length; metric++) {
                    columns.get(metric).add(decode(series.points[offset + 2 + metric], SCALE[metric]));
                }
            }
        }
        Map<String, List<Double>> metrics = new java.util.LinkedHashMap<>();
        for (int metric = 0; metric < METRICS.length; metric++) {
            metrics.put(METRICS[metric], columns.get(metric));
        }
        return Optional.of(new Chart(at, metrics));
    }

    /** How many nodes are tracked (with or without points). */
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
