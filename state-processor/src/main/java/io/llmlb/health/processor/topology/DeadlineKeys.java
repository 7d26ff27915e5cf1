package io.llmlb.health.processor.topology;

import java.time.Instant;

/**
 * Keys of a {@link DeadlineIndex}: zero-padded epoch milliseconds, a slash, the node id. Their UTF-8
 * bytes sort like (deadline, node id), so a range scan up to "now" finds exactly the expired nodes.
 */
final class DeadlineKeys {

    private DeadlineKeys() {
    }

    /** Digits of the epoch milliseconds in a key: enough until the year 2286. */
    private static final int MILLIS_DIGITS = 13;

    static String of(Instant deadline, String nodeId) {
        return millis(deadline.toEpochMilli()) + nodeId;
    }

    /** The greatest key whose deadline is {@code now}: node ids are ASCII, and U+FFFF sorts after them. */
    static String upTo(Instant now) {
        return millis(now.toEpochMilli()) + '\uffff';
    }

    /** The greatest key whose deadline is before {@code instant}. */
    static String before(Instant instant) {
        return upTo(instant.minusMillis(1));
    }

    /** The smallest key whose deadline is after {@code instant}. */
    static String after(Instant instant) {
        return millis(instant.toEpochMilli() + 1);
    }

    /**
     * {@code epochMillis} zero-padded to {@link #MILLIS_DIGITS} digits and a slash. By hand, not
     * {@code String.format}: every heartbeat moves its node's key, and the formatter was a visible
     * share of a verdict's cost.
     */
    private static String millis(long epochMillis) {
        if (epochMillis < 0) {
            return String.format("%013d/", epochMillis); // before 1970: only in tests, keep the formatter's form
        }
        String digits = Long.toString(epochMillis);
        StringBuilder key = new StringBuilder(MILLIS_DIGITS + 1 + 40);
        key.repeat('0', Math.max(0, MILLIS_DIGITS - digits.length())).append(digits).append('/');
        return key.toString();
    }
}
