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
    REMOVED;

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
