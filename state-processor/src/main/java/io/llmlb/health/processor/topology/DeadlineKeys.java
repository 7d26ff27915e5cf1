package io.llmlb.health.processor.topology;

import java.time.Instant;

/**
 * Keys of the deadline store: zero-padded epoch milliseconds, a slash, the node id. Their UTF-8
 * bytes sort like (deadline, node id), so a range scan up to "now" finds exactly the expired nodes.
 */
final class DeadlineKeys {

    /** Sorts before every key. */
    static final String FIRST = "0";

    private DeadlineKeys() {
    }

    static String of(Instant deadline, String nodeId) {
        return String.format("%013d/%s", deadline.toEpochMilli(), nodeId);
    }

    /** The greatest key whose deadline is {@code now}: node ids are ASCII, and U+FFFF sorts after them. */
    static String upTo(Instant now) {
        return String.format("%013d/\uffff", now.toEpochMilli());
    }

    /** The greatest key whose deadline is before {@code instant}. */
    static String before(Instant instant) {
        return upTo(instant.minusMillis(1));
    }

    /** The smallest key whose deadline is after {@code instant}. */
    static String after(Instant instant) {
        return String.format("%013d/", instant.toEpochMilli() + 1);
    }
}
