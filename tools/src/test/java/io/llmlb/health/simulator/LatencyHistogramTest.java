package io.llmlb.health.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class LatencyHistogramTest {

    @Test
    void percentilesAreWithinTheBucketPrecision() {
        LatencyHistogram histogram = new LatencyHistogram();
        for (int micros = 1; micros <= 100_000; micros++) {
            histogram.recordMicros(micros);
        }

        assertEquals(100_000, histogram.count());
        assertEquals(50_000, histogram.percentile(0.50).toNanos() / 1_000, 50_000 * 0.016);
        assertEquals(99_000, histogram.percentile(0.99).toNanos() / 1_000, 99_000 * 0.016);
        assertEquals(Duration.ofMillis(100), histogram.max());
        assertEquals(50_000, histogram.mean().toNanos() / 1_000, 1);
    }

    @Test
    void smallValuesAreExactAndEmptyIsZero() {
        LatencyHistogram histogram = new LatencyHistogram();
        assertEquals(Duration.ZERO, histogram.percentile(0.99));

        histogram.recordMicros(7);
        histogram.recordMicros(-3);

        assertEquals(Duration.ofNanos(7_000), histogram.percentile(1.0));
        assertEquals(Duration.ZERO, histogram.percentile(0.5));
    }

    @Test
    void hugeValuesLandInTheLastBucket() {
        LatencyHistogram histogram = new LatencyHistogram();
        histogram.recordMicros(Long.MAX_VALUE / 2_000);

        assertEquals(1, histogram.count());
        assertEquals(Long.MAX_VALUE / 2_000, histogram.max().toNanos() / 1_000);
        // beyond the buckets' range the percentile is the last bucket's: over 12 days, never an exception
        assertEquals(true, histogram.percentile(1.0).compareTo(Duration.ofDays(12)) > 0);
    }
}
