package io.llmlb.health.simulator;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;

/**
 * A lock-free latency histogram in microseconds with log-linear buckets (64 per power of two,
 * so any percentile is within 1.6 % of the truth), cheap enough to record every request of a
 * load generator from many threads.
 */
public final class LatencyHistogram {

    private static final int LINEAR = 128;
    private static final int SUB_BUCKETS = 64;
    private static final int MAX_EXPONENT = 40;
    private static final int SIZE = LINEAR + (MAX_EXPONENT - 6) * SUB_BUCKETS;

    private final AtomicLongArray counts = new AtomicLongArray(SIZE);
    private final LongAdder total = new LongAdder();
    private final LongAdder sumMicros = new LongAdder();
    private volatile long maxMicros;

    /** Records one latency. */
    public void record(Duration latency) {
        recordMicros(latency.toNanos() / 1_000);
    }

    /** Records one latency given in nanoseconds. */
    public void recordNanos(long nanos) {
        recordMicros(nanos / 1_000);
    }

    /** Records one latency given in microseconds; negative values count as zero. */
    public void recordMicros(long micros) {
        long value = Math.max(0, micros);
        counts.incrementAndGet(index(value));
        total.increment();
        sumMicros.add(value);
        if (value > maxMicros) {
            synchronized (this) {
                if (value > maxMicros) {
                    maxMicros = value;
                }
            }
        }
    }

    /** Adds every value {@code other} recorded to this histogram. */
    public void add(LatencyHistogram other) {
        for (int i = 0; i < SIZE; i++) {
            long count = other.counts.get(i);
            if (count > 0) {
                counts.addAndGet(i, count);
            }
        }
        total.add(other.total.sum());
        sumMicros.add(other.sumMicros.sum());
        synchronized (this) {
            maxMicros = Math.max(maxMicros, other.maxMicros);
        }
    }

    /** How many values were recorded. */
    public long count() {
        return total.sum();
    }

    /** The largest value recorded, exact. */
    public Duration max() {
        return Duration.ofNanos(maxMicros * 1_000);
    }

    /** The mean, exact. */
    public Duration mean() {
        long n = count();
        return n == 0 ? Duration.ZERO : Duration.ofNanos(sumMicros.sum() * 1_000 / n);
    }

    /** The {@code quantile} (0..1) value, or zero when empty. */
    public Duration percentile(double quantile) {
        long n = count();
        if (n == 0) {
            return Duration.ZERO;
        }
        long rank = Math.max(1, (long) Math.ceil(quantile * n));
        long seen = 0;
        for (int i = 0; i < SIZE; i++) {
            seen += counts.get(i);
            if (seen >= rank) {
                return Duration.ofNanos(Math.min(middle(i), maxMicros) * 1_000);
            }
        }
        return max();
    }

    /** Percentile in milliseconds, for printing. */
    public double percentileMillis(double quantile) {
        return percentile(quantile).toNanos() / 1e6;
    }

    static int index(long micros) {
        if (micros < LINEAR) {
            return (int) micros;
        }
        int exponent = 63 - Long.numberOfLeadingZeros(micros);
        if (exponent > MAX_EXPONENT) {
            return SIZE - 1;
        }
        int sub = (int) (micros >>> (exponent - 6)) & (SUB_BUCKETS - 1);
        return LINEAR + (exponent - 7) * SUB_BUCKETS + sub;
    }

    private static long middle(int index) {
        if (index < LINEAR) {
            return index;
        }
        int exponent = (index - LINEAR) / SUB_BUCKETS + 7;
        int sub = (index - LINEAR) % SUB_BUCKETS;
        long lower = (long) (SUB_BUCKETS + sub) << (exponent - 6);
        long width = 1L << (exponent - 6);
        return lower + width / 2;
    }
}
