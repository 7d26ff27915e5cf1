package io.llmlb.health.wire;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/**
 * Why a {@link StateChange} happened, written on the wire in lower case ({@code timeout},
 * {@code heartbeat}), as before there was a type for it. The detector's own holds are not
 * transitions: they are {@link DetectorEvent}s on their own topic.
 */
public enum Reason {
    /** A node was registered (it enters pending). */
    REGISTERED,
    /** An admin approved a pending node (it goes online). */
    APPROVED,
    /** A heartbeat brought an offline node back online. */
    HEARTBEAT,
    /** No heartbeat within the node timeout (online to offline). */
    TIMEOUT,
    /** An admin disconnected an online node (online to offline). */
    DISCONNECTED,
    /** The node was deleted from the registry. */
    REMOVED,
    /** An admin put the node in maintenance (its state stays; no timeout verdict until it ends). */
    MAINTENANCE_STARTED,
    /** An admin took the node out of maintenance (it gets a full timeout from then). */
    MAINTENANCE_ENDED,
    /** The node flipped between online and offline more than the flap threshold within the flap window. */
    FLAPPING_STARTED,
    /** The flapping node kept its state for a whole flap window. */
    FLAPPING_ENDED;

    /** Whether this reason marks a change of supervision rather than of state ({@code from} equals {@code to}). */
    public boolean keepsState() {
        return this == MAINTENANCE_STARTED || this == MAINTENANCE_ENDED || this == FLAPPING_STARTED
                || this == FLAPPING_ENDED;
    }

    /** The wire spelling: the name in lower case, {@code _} written {@code -}. */
    @JsonValue
    public String wireName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** Parses the wire spelling. */
    @JsonCreator
    public static Reason fromWire(String wireName) {
        return valueOf(wireName.toUpperCase(Locale.ROOT).replace('-', '_'));
    }

    @Override
    public String toString() {
        return wireName();
    }
}
