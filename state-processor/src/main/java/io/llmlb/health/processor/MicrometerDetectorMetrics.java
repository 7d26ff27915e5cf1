package io.llmlb.health.processor;

import io.llmlb.health.processor.topology.DetectorMetrics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@code llm_router_detection_lag_seconds} (histogram: offline verdict time minus the node's
 * deadline, verdicts judged on time only), {@code llm_router_detection_deferred_total} (verdicts
 * given after an input-outage grace) and {@code llm_router_detector_suspended} (1 while any task
 * holds its verdicts), {@code llm_router_detector_sweep_seconds} (time of each timeout sweep on the
 * stream thread, whatever it judged).
 */
final class MicrometerDetectorMetrics implements DetectorMetrics {

    private final Timer detectionLag;
    private final Counter deferred;
    private final Timer sweep;
    private final Map<String, Boolean> suspendedByTask = new ConcurrentHashMap<>();

    MicrometerDetectorMetrics(MeterRegistry registry) {
        this.detectionLag = Timer.builder("llm_router.detection.lag")
                .description("Time from a node's deadline (last_seen + timeout) to its offline verdict")
                .serviceLevelObjectives(Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500),
                        Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(5), Duration.ofSeconds(10),
                        Duration.ofSeconds(30), Duration.ofSeconds(60))
                .register(registry);
        this.deferred = Counter.builder("llm_router.detection.deferred")
                .description("Offline verdicts given after a grace for an outage of the monitor's input path;"
                        + " not counted as detection lag")
                .register(registry);
        this.sweep = Timer.builder("llm_router.detector.sweep")
                .description("Time of one timeout sweep of one task on the stream thread (range scan of the expired"
                        + " deadlines and their verdicts)")
                // Buckets, so a reader can take quantiles over any window from two scrapes.
                .serviceLevelObjectives(Duration.ofMillis(1), Duration.ofMillis(2), Duration.ofMillis(5),
                        Duration.ofMillis(10), Duration.ofMillis(20), Duration.ofMillis(50), Duration.ofMillis(100),
                        Duration.ofMillis(200), Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofSeconds(2),
                        Duration.ofSeconds(5))
                .register(registry);
        Gauge.builder("llm_router.detector.suspended", this, metrics -> metrics.anySuspended() ? 1 : 0)
                .description("1 while the detector holds offline verdicts because the whole fleet fell silent at once")
                .register(registry);
    }

    @Override
    public void detectionLag(Duration lag) {
        detectionLag.record(lag.isNegative() ? Duration.ZERO : lag);
    }

    @Override
    public void deferredVerdict() {
        deferred.increment();
    }

    @Override
    public void suspended(String taskId, boolean suspended) {
        suspendedByTask.put(taskId, suspended);
    }

    @Override
    public void sweep(Duration took, int judged) {
        sweep.record(took);
    }

    private boolean anySuspended() {
        return suspendedByTask.containsValue(Boolean.TRUE);
    }
}
