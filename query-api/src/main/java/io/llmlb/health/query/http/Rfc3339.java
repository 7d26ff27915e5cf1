package io.llmlb.health.query.http;

import io.llmlb.health.wire.InstantJson;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * Times as the API shows them: RFC 3339 in UTC to whole seconds, {@code 2025-01-01T12:00:00Z}.
 * Written digit by digit into a caller's buffer rather than through {@link Instant#toString()}:
 * a full {@code GET /v0/nodes} writes five times per node, and the formatter's {@code StringBuilder}
 * and {@code String} per time were the largest cost of a 100,000-node list.
 */
final class Rfc3339 {

    /** Characters of a time between the years 0 and 9999. */
    static final int LENGTH = 20;

    private Rfc3339() {
    }

    /**
     * Writes {@code epochMillis} into {@code into} (at least {@link #LENGTH} long) and returns how
     * many characters it took: {@link #LENGTH}, or more for a year beyond 9999 (the slow path).
     */
    static int write(long epochMillis, char[] into) {
        long second = Math.floorDiv(epochMillis, 1000L);
        if (InstantJson.writeSeconds(second, into)) {
            into[LENGTH - 1] = 'Z';
            return LENGTH;
        }
        String text = Instant.ofEpochSecond(second).toString();
        text.getChars(0, text.length(), into, 0);
        return text.length();
    }

    /** {@code instant} as text; null for null. */
    static String of(Instant instant) {
        if (instant == null) {
            return null;
        }
        char[] text = new char[LENGTH];
        if (!InstantJson.writeSeconds(instant.getEpochSecond(), text)) {
            return instant.truncatedTo(ChronoUnit.SECONDS).toString();
        }
        text[LENGTH - 1] = 'Z';
        return new String(text);
    }
}
