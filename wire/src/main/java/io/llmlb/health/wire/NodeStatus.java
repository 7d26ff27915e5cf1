package io.llmlb.health.wire;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** The seed's three node states, written in lower case on the wire. */
public enum NodeStatus {
    PENDING,
    ONLINE,
    OFFLINE;

    /** Spelled once: the API, the scrape and every node-state record ask for it per node. */
    private final String wireName = name().toLowerCase(Locale.ROOT);

    /** The wire spelling: {@code pending}, {@code online}, {@code offline}. */
    @JsonValue
    public String wireName() {
        return wireName;
    }

    /** Parses the wire spelling. */
    @JsonCreator
    public static NodeStatus fromWire(String wireName) {
        return valueOf(wireName.toUpperCase(Locale.ROOT));
    }
}
