package io.llmlb.health.wire;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.StdScalarSerializer;
import com.fasterxml.jackson.datatype.jsr310.deser.InstantDeserializer;
import java.io.IOException;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;

/**
 * Instants in JSON, digit by digit: the same text as {@link DateTimeFormatter#ISO_INSTANT} (UTC,
 * {@code Z}, the fraction in 0, 3, 6 or 9 digits) without the formatter. A node state holds five
 * instants and is decoded and encoded at every heartbeat and every verdict; through
 * {@code DateTimeFormatter} they were the largest part of a verdict's cost when 40,000 nodes
 * expired together (docs/benchmarks.md, figure 9b). Anything the fast path does not recognise
 * (offsets, years beyond 9999, leap seconds, numbers) goes to Jackson's own deserializer, so
 * what was accepted before still is and what was refused still is.
 */
public final class InstantJson {

    private static final long SECONDS_PER_DAY = 86_400;
    private static final long FIRST_DAY = LocalDate.of(0, 1, 1).toEpochDay();
    private static final long LAST_DAY = LocalDate.of(9999, 12, 31).toEpochDay();
    /** {@code yyyy-MM-ddTHH:mm:ss}: the characters before the fraction. */
    private static final int SECONDS_END = 19;
    private static final int MAX_LENGTH = SECONDS_END + 1 + 9 + 1;

    private InstantJson() {
    }

    /** The module that puts both into a mapper; registered after the JavaTimeModule, it takes its place for Instant. */
    static SimpleModule module() {
        SimpleModule module = new SimpleModule("llmlb-instant");
        module.addSerializer(Instant.class, new Writer());
        module.addDeserializer(Instant.class, new Reader());
        return module;
    }

    /** {@code instant} as ISO_INSTANT writes it. */
    static String format(Instant instant) {
        char[] text = new char[MAX_LENGTH];
        int length = write(instant, text);
        return length < 0 ? DateTimeFormatter.ISO_INSTANT.format(instant) : new String(text, 0, length);
    }

    /**
     * Writes {@code yyyy-MM-ddTHH:mm:ss} of {@code epochSecond} (UTC) into the first 19 characters
     * of {@code into}; false, with nothing written, for a year outside 0–9999. Shared with the
     * query API's whole-second times (its {@code Rfc3339}).
     */
    public static boolean writeSeconds(long epochSecond, char[] into) {
        long day = Math.floorDiv(epochSecond, SECONDS_PER_DAY);
        if (day < FIRST_DAY || day > LAST_DAY) {
            return false;
        }
        LocalDate date = LocalDate.ofEpochDay(day);
        int secondOfDay = (int) (epochSecond - day * SECONDS_PER_DAY);
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
        return true;
    }

    /**
     * Writes {@code instant} into {@code into} ({@link #MAX_LENGTH} long) and returns the length,
     * or -1 for a year outside 0–9999, which the caller formats the slow way.
     */
    private static int write(Instant instant, char[] into) {
        if (!writeSeconds(instant.getEpochSecond(), into)) {
            return -1;
        }
        int at = SECONDS_END;
        int nanos = instant.getNano();
        if (nanos != 0) {
            into[at++] = '.';
            if (nanos % 1_000_000 == 0) {
                digits(into, at, nanos / 1_000_000, 3);
                at += 3;
            } else if (nanos % 1_000 == 0) {
                digits(into, at, nanos / 1_000, 6);
                at += 6;
            } else {
                digits(into, at, nanos, 9);
                at += 9;
            }
        }
        into[at++] = 'Z';
        return at;
    }

    /**
     * {@code text} as an instant if it is exactly {@code yyyy-MM-ddTHH:mm:ss[.f…]Z} with 1–9
     * fraction digits and valid fields; null for anything else (left to the full parser).
     */
    static Instant parse(String text) {
        int length = text.length();
        if (length < SECONDS_END + 1 || length > MAX_LENGTH || text.charAt(length - 1) != 'Z'
                || text.charAt(4) != '-' || text.charAt(7) != '-' || text.charAt(10) != 'T'
                || text.charAt(13) != ':' || text.charAt(16) != ':') {
            return null;
        }
        int year = number(text, 0, 4);
        int month = number(text, 5, 2);
        int dayOfMonth = number(text, 8, 2);
        int hour = number(text, 11, 2);
        int minute = number(text, 14, 2);
        int secondOfMinute = number(text, 17, 2);
        if (year < 0 || month < 0 || dayOfMonth < 0 || hour < 0 || hour > 23 || minute < 0 || minute > 59
                || secondOfMinute < 0 || secondOfMinute > 59) {
            return null;
        }
        int nanos = 0;
        int fractionEnd = length - 1;
        if (fractionEnd > SECONDS_END) {
            int fractionDigits = fractionEnd - SECONDS_END - 1;
            if (text.charAt(SECONDS_END) != '.' || fractionDigits < 1) {
                return null;
            }
            int fraction = number(text, SECONDS_END + 1, fractionDigits);
            if (fraction < 0) {
                return null;
            }
            nanos = fraction;
            for (int i = fractionDigits; i < 9; i++) {
                nanos *= 10;
            }
        }
        long epochDay;
        try {
            epochDay = LocalDate.of(year, month, dayOfMonth).toEpochDay();
        } catch (DateTimeException invalidDate) {
            return null;
        }
        return Instant.ofEpochSecond(epochDay * SECONDS_PER_DAY + hour * 3600L + minute * 60L + secondOfMinute, nanos);
    }

    /** The decimal number in {@code text[from, from + count)}, or -1 if any of it is not a digit. */
    private static int number(String text, int from, int count) {
        int value = 0;
        for (int i = from; i < from + count; i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }

    private static void digits(char[] into, int at, int value, int width) {
        for (int i = at + width - 1; i >= at; i--) {
            into[i] = (char) ('0' + value % 10);
            value /= 10;
        }
    }

    private static final class Writer extends StdScalarSerializer<Instant> {

        Writer() {
            super(Instant.class);
        }

        @Override
        public void serialize(Instant instant, JsonGenerator json, SerializerProvider provider) throws IOException {
            char[] text = new char[MAX_LENGTH];
            int length = write(instant, text);
            if (length < 0) {
                json.writeString(DateTimeFormatter.ISO_INSTANT.format(instant));
            } else {
                json.writeString(text, 0, length);
            }
        }
    }

    private static final class Reader extends StdScalarDeserializer<Instant> {

        Reader() {
            super(Instant.class);
        }

        @Override
        public Instant deserialize(JsonParser json, DeserializationContext context) throws IOException {
            if (json.hasToken(JsonToken.VALUE_STRING)) {
                Instant fast = parse(json.getText());
                if (fast != null) {
                    return fast;
                }
            }
            return InstantDeserializer.INSTANT.deserialize(json, context);
        }
    }
}
