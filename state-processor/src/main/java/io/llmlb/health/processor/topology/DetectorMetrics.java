package io.llmlb.health.processor.topology;

import java.time.Duration;

/** What the detector reports about itself; the app binds it to Micrometer, tests to nothing or a list. */
public interface DetectorMetrics {

    /** Does nothing. */
    DetectorMetrics NONE = new DetectorMetrics() {
        @Override
        public void detectionLag(Duration lag) {
        }

        @Override
        public void deferredVerdict() {
        }

        @Override
        public void suspended(String taskId, boolean suspended) {
        }
    };

    /** An offline verdict judged on time came {@code lag} after the node's deadline (last_seen + timeout). */
    void detectionLag(Duration lag);

    /**
     * An offline verdict whose deadline had been moved later because the silence overlapped an
     * outage of the input path (or a late approval): not detection lag, so counted apart.
     */
    void deferredVerdict();

    /** Whether the detector of one task currently holds its verdicts. */
    void suspended(String taskId, boolean suspended);

    /**
     * One timeout sweep of one task took {@code took} on the stream thread and judged {@code judged}
     * nodes: the bench reads it to show a sweep costs O(expired), not O(fleet).
     */
    default void sweep(Duration took, int judged) {
    }
}
