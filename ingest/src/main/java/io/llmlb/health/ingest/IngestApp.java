package io.llmlb.health.ingest;

import io.helidon.webserver.http.HttpRouting;
import io.llmlb.health.ingest.http.HeartbeatService;
import io.llmlb.health.ingest.kafka.KafkaHeartbeatSink;
import io.llmlb.health.ingest.limit.HeartbeatRateLimit;
import io.llmlb.health.ingest.limit.HeartbeatThrottle;
import io.llmlb.health.kafka.KafkaSettings;
import io.llmlb.health.kafka.RegistryCache;
import io.llmlb.health.kafka.TopicBootstrap;
import io.llmlb.health.wire.InputPath;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.logging.Logger;

/** The ingest service's parts, wired: registry cache, Kafka sink, HTTP service. */
public final class IngestApp implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(IngestApp.class.getName());

    private final RegistryCache registry;
    private final boolean ownsRegistry;
    private final KafkaHeartbeatSink sink;
    private final HeartbeatService service;
    private final IngestRequestMetrics requestMetrics;

    private final WriteHealth writeHealth;

    private IngestApp(KafkaSettings kafka, RegistryCache registry, boolean ownsRegistry, HeartbeatRateLimit rateLimit,
                      Duration tickInterval, MeterRegistry meters) {
        Clock clock = Clock.systemUTC();
        InFlightHeartbeats inFlight = new InFlightHeartbeats(clock);
        this.registry = registry;
        this.ownsRegistry = ownsRegistry;
        this.writeHealth = new WriteHealth(clock);
        this.sink = new KafkaHeartbeatSink(kafka, meters, inFlight, writeHealth, tickInterval);
        this.service = new HeartbeatService(registry, sink, new HeartbeatThrottle(rateLimit, clock), inFlight);
        this.requestMetrics = new IngestRequestMetrics(meters);
        sink.startTicking();
    }

    /** {@link #start(KafkaSettings, HeartbeatRateLimit, MeterRegistry)} with the default rate limit. */
    public static IngestApp start(KafkaSettings kafka, MeterRegistry meters) throws InterruptedException {
        return start(kafka, HeartbeatRateLimit.defaults(), meters);
    }

    /** {@link #start(KafkaSettings, HeartbeatRateLimit, Duration, MeterRegistry)} ticking every second. */
    public static IngestApp start(KafkaSettings kafka, HeartbeatRateLimit rateLimit, MeterRegistry meters)
            throws InterruptedException {
        return start(kafka, rateLimit, InputPath.TICK_INTERVAL, meters);
    }

    /**
     * Connects to Kafka and reads the registry, so valid tokens are known before the first request;
     * ticks every {@code tickInterval} ({@link io.llmlb.health.ingest.config.IngestConfig#tickInterval()}).
     */
    public static IngestApp start(KafkaSettings kafka, HeartbeatRateLimit rateLimit, Duration tickInterval,
                                  MeterRegistry meters) throws InterruptedException {
        TopicBootstrap.ensureTopics(kafka, Duration.ofSeconds(60));
        RegistryCache registry = RegistryCache.start(kafka, "llmlb-ingest-registry");
        if (!registry.awaitCaughtUp(Duration.ofSeconds(60))) {
            LOG.warning("node registry not fully read after 60 s; nodes not yet read get 401 until it is");
        }
        return new IngestApp(kafka, registry, true, rateLimit, tickInterval, meters);
    }

    /**
     * Starts ingest on a registry cache another part of the same process already follows (the
     * standalone shares the query API's), so the registry is held in memory once. The caller
     * keeps owning {@code registry}.
     */
    public static IngestApp start(KafkaSettings kafka, HeartbeatRateLimit rateLimit, Duration tickInterval,
                                  MeterRegistry meters, RegistryCache registry) {
        return new IngestApp(kafka, registry, false, rateLimit, tickInterval, meters);
    }

    /** Adds the ingest routes to {@code routing}. */
    public void routing(HttpRouting.Builder routing) {
        routing.addFilter(requestMetrics);
        routing.register(service);
    }

    /**
     * Whether this replica can do its job: the registry is read and followed and writes are not
     * failing (the launcher adds that the broker answers and the topics exist).
     */
    public boolean isReady() {
        return registry.isCaughtUp() && registry.isRunning() && !writeHealth.isFailing();
    }

    @Override
    public void close() {
        sink.close();
        if (ownsRegistry) {
            registry.close();
        }
    }
}
