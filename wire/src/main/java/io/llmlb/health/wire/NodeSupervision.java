package io.llmlb.health.wire;

import java.time.Instant;

/**
 * How one node is watched beyond the fleet's defaults: an admin's maintenance window and timeout,
 * the heartbeat interval the node declared, and the memory of its recent online/offline flips.
 * A {@link NodeState} holds null instead of a value with nothing set ({@link #setsNothing()}), so the
 * many nodes that use none of it cost one null reference each (issue 14 counts heap bytes per node).
 *
 * <p>Flips are counted in a window that opens at the first flip after a quiet period and lasts the
 * flap window: a fixed window (two numbers) rather than a ring of times, so the memory per node is
 * constant whatever the threshold.
 *
 * @param maintenance an admin put the node in maintenance: it gets no timeout verdict
 * @param timeoutSecs the node's own timeout set by an admin (30..300 s), or 0 for the fleet's
 * @param declaredIntervalSecs the heartbeat interval declared in the node's latest heartbeat, or 0
 * @param intervalTooLong the declared interval is more than half the node's timeout: its timeout is
 *        stretched to fit the interval (see the state-processor's NodeTimeouts) and the node flagged
 * @param flapping the node flipped between online and offline more than the threshold within the window
 * @param flips online/offline flips counted since {@code flipWindowStart}
 * @param flipWindowStart when the current count began, or null before any flip
 * @param lastFlip the latest flip, or null before any flip
 */
public record NodeSupervision(boolean maintenance,
                              int timeoutSecs,
                              int declaredIntervalSecs,
                              boolean intervalTooLong,
                              boolean flapping,
                              int flips,
                              Instant flipWindowStart,
                              Instant lastFlip) {

    /** Nothing set: a node watched by the fleet's defaults. */
    public static final NodeSupervision NONE = new NodeSupervision(false, 0, 0, false, false, 0, null, null);

    /** {@code supervision}, or {@link #NONE} for null. */
    public static NodeSupervision of(NodeSupervision supervision) {
        return supervision == null ? NONE : supervision;
    }

    /** Whether nothing is set (stored as null; not "isEmpty", which JSON would show as a field). */
    public boolean setsNothing() {
        return equals(NONE);
    }

    /** This with maintenance on or off. */
    public NodeSupervision withMaintenance(boolean on) {
        return new NodeSupervision(on, timeoutSecs, declaredIntervalSecs, intervalTooLong, flapping, flips,
                flipWindowStart, lastFlip);
    }

    /** This with the admin's timeout ({@code 0}: the fleet's). */
    public NodeSupervision withTimeoutSecs(int seconds) {
        return new NodeSupervision(maintenance, seconds, declaredIntervalSecs, intervalTooLong, flapping, flips,
                flipWindowStart, lastFlip);
    }

    /** This with the interval the node declared ({@code 0}: none) and whether it is too long for its timeout. */
    public NodeSupervision withDeclaredInterval(int seconds, boolean tooLong) {
        return new NodeSupervision(maintenance, timeoutSecs, seconds, tooLong, flapping, flips, flipWindowStart,
                lastFlip);
    }

    /** This with another flip memory and flapping flag. */
    public NodeSupervision withFlips(boolean nowFlapping, int count, Instant windowStart, Instant latest) {
        return new NodeSupervision(maintenance, timeoutSecs, declaredIntervalSecs, intervalTooLong, nowFlapping, count,
                windowStart, latest);
    }
}
