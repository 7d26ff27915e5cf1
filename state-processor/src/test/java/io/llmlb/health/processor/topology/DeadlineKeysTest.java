package io.llmlb.health.processor.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The hand-padded keys are the ones {@code String.format("%013d/…")} made, so stores written before still read. */
class DeadlineKeysTest {

    @Test
    void keysAreTheFormattersKeys() {
        SplittableRandom random = new SplittableRandom(7);
        long[] fixed = {0, 1, 999, 1_000_000_000_000L, 9_999_999_999_999L, 10_000_000_000_000L, -1, -42};
        for (long millis : fixed) {
            assertSameAsFormatter(millis);
        }
        for (int i = 0; i < 10_000; i++) {
            assertSameAsFormatter(random.nextLong(0, 20_000_000_000_000L));
        }
    }

    @Test
    void keysSortByDeadlineThenNode() {
        Instant deadline = Instant.parse("2026-12-02T17:00:00Z");
        String early = DeadlineKeys.of(deadline, "zz");
        String late = DeadlineKeys.of(deadline.plusMillis(1), "aa");
        assertTrue(early.compareTo(late) < 0);
        assertTrue(early.compareTo(DeadlineKeys.upTo(deadline)) < 0);
        assertTrue(late.compareTo(DeadlineKeys.upTo(deadline)) > 0);
        assertTrue(DeadlineKeys.after(deadline).compareTo(late) < 0);
        assertTrue(DeadlineKeys.after(deadline).compareTo(early) > 0);
    }

    private static void assertSameAsFormatter(long millis) {
        Instant at = Instant.ofEpochMilli(millis);
        assertEquals(String.format("%013d/%s", millis, "gpu-7"), DeadlineKeys.of(at, "gpu-7"));
        assertEquals(String.format("%013d/\uffff", millis), DeadlineKeys.upTo(at));
        assertEquals(String.format("%013d/", millis + 1), DeadlineKeys.after(at));
    }
}
