package io.llmlb.health.processor.topology;

import io.llmlb.health.processor.config.FlapSettings;
import io.llmlb.health.wire.NodeSupervision;
import java.time.Instant;

/**
 * Counts a node's flips between online and offline, pure. Flips are counted in a window that
 * opens at the first flip after the previous window ran out; more than the threshold in one
 * window marks the node flapping, and a whole window without a flip ends it. Two numbers per node
 * instead of a ring of times: a burst split by a window boundary may need up to twice the
 * threshold to be caught, which is acceptable for an operator's hint.
 */
final class FlapDetector {

    private final FlapSettings settings;

    FlapDetector(FlapSettings settings) {
        this.settings = settings;
    }

    /**
     * The node's supervision after a flip at {@code at}.
     *
     * @param supervision the node's flip memory after the flip
     * @param started whether this flip made a node that was not flapping flapping
     */
    record Flip(NodeSupervision supervision, boolean started) {
    }

    Flip onFlip(NodeSupervision before, Instant at) {
        boolean windowOpen = before.flipWindowStart() != null
                && !at.isAfter(before.flipWindowStart().plus(settings.window()));
        int flips = windowOpen ? before.flips() + 1 : 1;
        Instant windowStart = windowOpen ? before.flipWindowStart() : at;
        boolean flapping = before.flapping() || flips > settings.threshold();
        return new Flip(before.withFlips(flapping, flips, windowStart, at), flapping && !before.flapping());
    }

    /** When a flapping node whose latest flip was at {@code lastFlip} has been stable for a window. */
    Instant settlesAt(NodeSupervision supervision) {
        return supervision.lastFlip().plus(settings.window());
    }

    /** Whether the flapping node has been stable for a whole window at {@code now}. */
    boolean hasSettled(NodeSupervision supervision, Instant now) {
        return supervision.flapping() && supervision.lastFlip() != null && !now.isBefore(settlesAt(supervision));
    }

    /** The supervision of a node that stopped flapping: its flip memory forgotten. */
    static NodeSupervision settled(NodeSupervision supervision) {
        return supervision.withFlips(false, 0, null, null);
    }
}
