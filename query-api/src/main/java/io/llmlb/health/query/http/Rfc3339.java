package io.llmlb.health.query.http;

import java.time.Instant;
import java.time.LocalDate;
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

    private static final long SECONDS_PER_DAY = 86_400;
    private static final long FIRST_DAY = LocalDate.of(0, 1, 1).toEpochDay();
    private static final long LAST_DAY = LocalDate.of(9999, 12, 31).toEpochDay();

    private Rfc3339() {
    }

    /**
     * Writes {@code epochMillis} into {@code into} (at least {@link #LENGTH} long) and returns how
     * many characters it took: {@link #LENGTH}, or more for a year beyond 9999 (the slow path).
     */
    static int write(long epochMillis, char[] into) {
        long second = Math.floorDiv(epochMillis, 1000L);
        long day = Math.floorDiv(second, SECONDS_PER_DAY);
        if (day < FIRST_DAY || day > LAST_DAY) {
            String text = of(Instant.ofEpochSecond(second));
            text.getChars(0, text.length(), into, 0);
            return text.length();
        }
        LocalDate date = LocalDate.ofEpochDay(day);
        int secondOfDay = (int) (second - day * SECONDS_PER_DAY);
        digits(into, 0, date.getYear(), 4);
        into[4] = '-';
        digits(into, 5, date.getMonthValue(), 2);
        into[7] = '-';
        digits(into, 8, date.getDayOfMonth(), 2);
        into[10] = 'T';
        digits(into, 11, secondOfDay / 3600, 2);
        into[13] = ':';
        digits(into, 14, secondOfDay / 60 % 60, 2);
        into[16] = ':';
        digits(into, 17, secondOfDay % 60, 2);
        into[19] = 'Z';
        return LENGTH;
    }

    /** {@code instant} as text; null for null. */
    static String of(Instant instant) {
        if (instant == null) {
            return null;
        }
        long day = Math.floorDiv(instant.getEpochSecond(), SECONDS_PER_DAY);
        if (day < FIRST_DAY || day > LAST_DAY) {
            return instant.truncatedTo(ChronoUnit.SECONDS).toString();
        }
        char[] text = new char[LENGTH];
        write(instant.getEpochSecond() * 1000L, text);
        return new String(text);
    }

    private static void digits(char[] into, int at, int value, int width) {
        for (int i = at + width - 1; i >= at; i--) {
            into[i] = (char) ('0' + value % 10);
            value /= 10;
        }
    }
}
