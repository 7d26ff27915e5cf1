package io.llmlb.health.http;

import java.io.IOException;

/**
 * Metric families their owner writes straight into a {@code /metrics} answer, ahead of the
 * registry's meters ({@link MetricsService}). For series per node of a big fleet: the registry's
 * way (a snapshot object per data point, sorted, validated and then written) cost a 10,000-node
 * scrape about as much CPU as rendering it, and its garbage grew with the fleet.
 */
@FunctionalInterface
public interface DirectSeries {

    /** No series. */
    DirectSeries NONE = out -> { };

    /** Writes whole families to {@code out}; never the OpenMetrics end marker. */
    void write(SeriesWriter out) throws IOException;
}
