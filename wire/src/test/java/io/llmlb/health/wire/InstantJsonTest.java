package io.llmlb.health.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The hand-written instant codec says exactly what DateTimeFormatter.ISO_INSTANT says, both ways. */
class InstantJsonTest {

    private record Stamp(Instant at) {
    }

    @Test
    void writesWhatIsoInstantWritesForAnyInstantAndPrecision() {
        SplittableRandom random = new SplittableRandom(42);
        long year0 = Instant.parse("0000-01-01T00:00:00Z").getEpochSecond();
        long year9999 = Instant.parse("9999-12-31T23:59:59Z").getEpochSecond();
        for (int i = 0; i < 20_000; i++) {
            long second = random.nextLong(year0, year9999 + 1);
            int nanos = switch (i % 4) {
                case 0 -> 0;
                case 1 -> random.nextInt(1000) * 1_000_000;
                case 2 -> random.nextInt(1_000_000) * 1_000;
                default -> random.nextInt(1_000_000_000);
            };
            Instant instant = Instant.ofEpochSecond(second, nanos);
            String expected = DateTimeFormatter.ISO_INSTANT.format(instant);
            assertEquals(expected, InstantJson.format(instant));
            assertEquals(instant, InstantJson.parse(expected), expected);
        }
    }

    @Test
    void yearsBeyondFourDigitsTakeTheFormattersPath() {
        Instant farFuture = Instant.parse("+10000-01-01T00:00:00Z");
        assertEquals(DateTimeFormatter.ISO_INSTANT.format(farFuture), InstantJson.format(farFuture));
        assertEquals("{\"at\":\"+10000-01-01T00:00:00Z\"}", new String(Json.toBytes(new Stamp(farFuture)),
                StandardCharsets.UTF_8));
        assertEquals(farFuture, Json.fromBytes("{\"at\":\"+10000-01-01T00:00:00Z\"}".getBytes(StandardCharsets.UTF_8),
                Stamp.class).at());
    }

    @Test
    void anyFractionLengthFromOneToNineDigitsIsRead() {
        assertEquals(Instant.parse("2025-01-01T12:00:00.5Z"), InstantJson.parse("2025-01-01T12:00:00.5Z"));
        assertEquals(Instant.parse("2025-01-01T12:00:00.1234Z"), InstantJson.parse("2025-01-01T12:00:00.1234Z"));
        assertEquals(Instant.parse("2025-01-01T12:00:00.123456789Z"),
                InstantJson.parse("2025-01-01T12:00:00.123456789Z"));
    }

    @Test
    void whatTheFastPathDoesNotKnowIsLeftToTheFullParser() {
        for (String text : new String[] {"2025-01-01T12:00:00+09:00", "2025-02-30T12:00:00Z", "2025-13-01T12:00:00Z",
                "2025-01-01T24:00:00Z", "2025-01-01T12:60:00Z", "2025-01-01 12:00:00Z", "2025-01-01T12:00:00.Z",
                "2025-01-01T12:00:00.1234567890Z", "2025-01-01T12:00:0xZ", "2025-01-01T12:00:00z", "", "Z"}) {
            assertNull(InstantJson.parse(text), text);
        }
    }

    @Test
    void theMapperStillAcceptsOffsetsAndStillRefusesNonsense() {
        Stamp withOffset = Json.fromBytes("{\"at\":\"2025-01-01T21:00:00+09:00\"}".getBytes(StandardCharsets.UTF_8),
                Stamp.class);
        assertEquals(Instant.parse("2025-01-01T12:00:00Z"), withOffset.at());
        assertThrows(RuntimeException.class, () -> Json.fromBytes(
                "{\"at\":\"2025-02-30T12:00:00Z\"}".getBytes(StandardCharsets.UTF_8), Stamp.class));
        assertThrows(RuntimeException.class, () -> Json.fromBytes(
                "{\"at\":\"yesterday\"}".getBytes(StandardCharsets.UTF_8), Stamp.class));
    }

    @Test
    void theMapperWritesAndReadsTheFastForm() {
        Instant instant = Instant.parse("2026-12-02T16:32:22.107263122Z");
        byte[] json = Json.toBytes(new Stamp(instant));
        assertEquals("{\"at\":\"2026-12-02T16:32:22.107263122Z\"}", new String(json, StandardCharsets.UTF_8));
        assertEquals(instant, Json.fromBytes(json, Stamp.class).at());
    }
}
