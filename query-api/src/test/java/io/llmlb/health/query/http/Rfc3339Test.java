package io.llmlb.health.query.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class Rfc3339Test {

    private static String expected(long epochMillis) {
        return Instant.ofEpochMilli(epochMillis).truncatedTo(ChronoUnit.SECONDS).toString();
    }

    private static String written(long epochMillis) {
        char[] text = new char[40];
        return new String(text, 0, Rfc3339.write(epochMillis, text));
    }

    @Test
    void writesTheSameTextAsTheJavaTimeFormatterToWholeSeconds() {
        long[] edges = {0, -1, 999, 1000, 1_735_732_800_000L, 1_735_732_799_999L, 951_782_400_000L /* 2000-02-29 */,
            -62_167_219_200_000L /* year 0 */, 253_402_300_799_999L /* 9999-12-31T23:59:59 */};
        for (long millis : edges) {
            assertEquals(expected(millis), written(millis), "at " + millis);
        }
        SplittableRandom random = new SplittableRandom(14);
        for (int i = 0; i < 100_000; i++) {
            long millis = random.nextLong(-62_167_219_200_000L, 253_402_300_800_000L);
            assertEquals(expected(millis), written(millis), "at " + millis);
        }
    }

    @Test
    void yearsBeyondFourDigitsTakeTheFormatterPath() {
        long farFuture = 253_402_300_800_000L; // +10000-01-01T00:00:00Z
        assertEquals(expected(farFuture), written(farFuture));
        assertEquals(expected(-62_167_219_200_001L), written(-62_167_219_200_001L));
        assertEquals(expected(farFuture), Rfc3339.of(Instant.ofEpochMilli(farFuture)));
        assertEquals("2025-01-01T12:00:00Z", Rfc3339.of(Instant.parse("2025-01-01T12:00:00.750Z")));
    }
}
