package io.llmlb.health.query.history;

import io.llmlb.health.wire.NodeStatus;
import io.llmlb.health.wire.StateChange;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The fleet over the last hour, in {@value #STEP_SECONDS}-second slots: nodes per state, heartbeats
 * per second and timeouts. A fixed ring of {@value #SLOTS} slots (about 20 KB whatever the fleet size).
 *
 * <p>Nodes per state are not sampled: each slot keeps how the transitions in it changed the counts,
 * and the count at the end of a slot is today's count minus the changes after it. So the whole hour
 * is rebuilt from {@code node-state-changes} after a restart (the follower reads that topic from its
 * beginning), whatever order its partitions arrive in, and so are the timeouts. Heartbeats per
 * second come from the node-state updates this process saw: slots before it started are unknown
 * (null), as the query-api may not read the heartbeats topic (least privilege, and a day of it).
 */
public final class FleetHistory {

    /** Width of one slot. */
    public static final int STEP_SECONDS = 10;
    /** Slots kept: one hour. */
    public static final int SLOTS = 360;

    private static final NodeStatus[] STATES = NodeStatus.values();

    /** One chart's worth: {@code at} holds each slot's start; the other lists are aligned with it. */
    public record Chart(List<Instant> at, Map<NodeStatus, List<Long>> nodes, List<Double> heartbeatsPerSecond,
                        List<Long> timeouts) {
    }

    private final Clock clock;
    private final long recordingFromSlot;
    private final long[] slotAt = new long[SLOTS];
    private final int[][] stateDelta = new int[STATES.length][SLOTS];
    private final int[] timeouts = new int[SLOTS];
    private final long[] heartbeats = new long[SLOTS];

    /** A history whose heartbeat figures start now ({@code clock}'s now). */
    public FleetHistory(Clock clock) {
        this.clock = clock;
        this.recordingFromSlot = slotOf(clock.instant()) + 1; // the current slot is only partly seen
        Arrays.fill(slotAt, Long.MIN_VALUE);
    }

    /** Counts one transition into the slot of its time (ignored when older than the hour). */
    public synchronized void onTransition(StateChange change) {
        if (change == null || change.at() == null) {
            return;
        }
        int index = claim(slotOf(change.at()));
        if (index < 0) {
            return;
        }
        if (change.from() != null) {
            stateDelta[change.from().ordinal()][index]--;
        }
        if (change.to() != null) {
            stateDelta[change.to().ordinal()][index]++;
        }
        if (StateChange.TIMEOUT.equals(change.reason())) {
            timeouts[index]++;
        }
    }

    /** Counts {@code count} heartbeats received at {@code at}. */
    public synchronized void onHeartbeats(Instant at, long count) {
        long slot = slotOf(at);
        if (count <= 0 || slot < recordingFromSlot) {
            return;
        }
        int index = claim(slot);
        if (index >= 0) {
            heartbeats[index] += count;
        }
    }

    /** The last hour, oldest slot first, given how many nodes are in each state now. */
    public synchronized Chart chart(Map<NodeStatus, Long> current) {
        Instant now = clock.instant();
        long nowSlot = slotOf(now);
        int size = SLOTS;
        Instant[] at = new Instant[size];
        long[][] nodes = new long[STATES.length][size];
        Double[] rate = new Double[size];
        Long[] timeoutCounts = new Long[size];
        long[] running = new long[STATES.length];
        for (NodeStatus state : STATES) {
            running[state.ordinal()] = current.getOrDefault(state, 0L);
        }
        for (int back = 0; back < size; back++) {
            long slot = nowSlot - back;
            int position = size - 1 - back;
            int index = index(slot);
            boolean held = slotAt[index] == slot;
            Instant start = Instant.ofEpochSecond(slot * STEP_SECONDS);
            at[position] = start;
            for (NodeStatus state : STATES) {
                nodes[state.ordinal()][position] = Math.max(0, running[state.ordinal()]);
                if (held) {
                    running[state.ordinal()] -= stateDelta[state.ordinal()][index];
                }
            }
            timeoutCounts[position] = held ? (long) timeouts[index] : 0L;
            if (slot >= recordingFromSlot) {
                double seconds = slot == nowSlot
                        ? Math.max(1, Duration.between(start, now).toMillis() / 1000.0) : STEP_SECONDS;
                rate[position] = (held ? heartbeats[index] : 0) / seconds;
            }
        }
        Map<NodeStatus, List<Long>> perState = new java.util.EnumMap<>(NodeStatus.class);
        for (NodeStatus state : STATES) {
            perState.put(state, Arrays.stream(nodes[state.ordinal()]).boxed().toList());
        }
        return new Chart(List.of(at), perState, new ArrayList<>(Arrays.asList(rate)), List.of(timeoutCounts));
    }

    /** The ring index for slot {@code at}, cleared if it held an older slot; -1 when older than the hour. */
    private int claim(long at) {
        long nowSlot = slotOf(clock.instant());
        long slot = Math.min(at, nowSlot); // a writer's clock a little ahead of ours: count it now
        if (slot <= nowSlot - SLOTS) {
            return -1;
        }
        int index = index(slot);
        if (slotAt[index] != slot) {
            if (slotAt[index] > slot) {
                return -1;
            }
            slotAt[index] = slot;
            for (int[] delta : stateDelta) {
                delta[index] = 0;
            }
            timeouts[index] = 0;
            heartbeats[index] = 0;
        }
        return index;
    }

    private static int index(long slot) {
        return (int) Math.floorMod(slot, (long) SLOTS);
    }

    private static long slotOf(Instant at) {
        return Math.floorDiv(at.getEpochSecond(), STEP_SECONDS);
    }
}
