package io.llmlb.health.wire;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** The seed's three node states, written in lower case on the wire. */
public enum NodeStatus {
    PENDING,
    ONLINE,
    OFFLINE;

    /** The wire spelling: {@code pending}, {@code online}, {@code offline}. */
    @JsonValue
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses the wire spelling. */
    @JsonCreator
    public static NodeStatus fromWire(String wireName) {
        return valueOf(wireName.toUpperCase(Locale.ROOT));
    }
}
