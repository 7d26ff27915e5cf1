package io.llmlb.health.processor.topology;

import io.llmlb.health.wire.NodeSupervision;
import java.time.Duration;

/**
 * A node's own timeout, pure. The timeout is the admin's (30..300 s) or the fleet's
 * {@code LLMLB_NODE_TIMEOUT}. A node that declares a heartbeat interval more than half of it is
 * flagged, and its effective timeout is stretched to two intervals plus {@link #SLACK}: it may miss
 * one beat and be late by the slack, so beating at its declared pace never makes it offline.
 */
final class NodeTimeouts {

    /** What a beat may be late by (network, gateway, queueing in Kafka) on top of two intervals. */
    static final Duration SLACK = Duration.ofSeconds(5);

    private NodeTimeouts() {
    }

    /** The timeout before the declared interval is considered: the admin's, else the fleet's. */
    static Duration configured(Duration fleetTimeout, NodeSupervision supervision) {
        return supervision.timeoutSecs() > 0 ? Duration.ofSeconds(supervision.timeoutSecs()) : fleetTimeout;
    }

    /** Whether an interval of {@code intervalSecs} cannot fit the timeout: more than half of it. */
    static boolean intervalTooLong(Duration fleetTimeout, NodeSupervision supervision, int intervalSecs) {
        return intervalSecs > 0 && Duration.ofSeconds(2L * intervalSecs).compareTo(configured(fleetTimeout, supervision)) > 0;
    }

    /** The silence after which the node is offline. */
    static Duration effective(Duration fleetTimeout, NodeSupervision supervision) {
        Duration configured = configured(fleetTimeout, supervision);
        if (!intervalTooLong(fleetTimeout, supervision, supervision.declaredIntervalSecs())) {
            return configured;
        }
        return Duration.ofSeconds(2L * supervision.declaredIntervalSecs()).plus(SLACK);
    }
}
