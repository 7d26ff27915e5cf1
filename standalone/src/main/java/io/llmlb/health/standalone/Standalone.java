package io.llmlb.health.standalone;

import io.llmlb.health.http.Meters;
import io.llmlb.health.http.ServiceLauncher;
import io.llmlb.health.http.server.GuardedServer;
import io.llmlb.health.http.server.ListenerWatch;
import io.llmlb.health.http.server.Ports;
import io.llmlb.health.ingest.IngestApp;
import io.llmlb.health.kafka.BrokerProbe;
import io.llmlb.health.processor.StateProcessorApp;
import io.llmlb.health.query.QueryApiApp;
import io.llmlb.health.query.metrics.NodeStateCollector;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.function.IntConsumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The embedded default: a KRaft broker (unless an external Kafka is configured), then
 * state-processor, ingest and query API, all served on one port so the seed's URLs work as written.
 */
public final class Standalone implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(Standalone.class.getName());
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(90);

    private final Deque<AutoCloseable> stopOrder = new ArrayDeque<>();
    private final String bootstrapServers;
    private final PrometheusMeterRegistry meters = Meters.newRegistry();
    private GuardedServer server;
    private BrokerProbe brokerProbe;
    private StateProcessorApp processor;
    private QueryApiApp queryApi;
    private IngestApp ingest;

    private Standalone(String bootstrapServers) {
        this.bootstrapServers = bootstrapServers;
    }

    /**
     * Starts everything and returns once all parts are ready; if the HTTP listener dies later, the
     * process exits with status 1.
     *
     * @throws io.llmlb.health.http.server.StartupException when the data directory is held by
     *         another instance or a port is in use; nothing is left running then
     */
    public static Standalone start(StandaloneConfig config) throws InterruptedException {
        return start(config, ListenerWatch.exitProcess("llmlb-health"));
    }

    /** Like {@link #start(StandaloneConfig)}, with {@code onListenerDeath} instead of exiting. */
    public static Standalone start(StandaloneConfig config, IntConsumer onListenerDeath) throws InterruptedException {
        String bootstrap = config.ingest().kafka().bootstrapServers();
        Standalone standalone = new Standalone(bootstrap);
        try {
            standalone.startParts(config, onListenerDeath);
        } catch (RuntimeException | Error | InterruptedException e) {
            // Whatever failed, nothing that did start may outlive the attempt (Kafka threads are not daemons).
            standalone.close();
            throw e;
        }
        return standalone;
    }

    private void startParts(StandaloneConfig config, IntConsumer onListenerDeath) throws InterruptedException {
        // Refusals first, before a broker is started on the promise of them.
        stopOrder.push(DataDirLock.acquire(config.dataDir()));
        Ports.requireFree(config.host(), config.port(), "LLMLB_PORT");
        if (!config.externalKafka()) {
            Ports.requireFree("127.0.0.1", config.kafkaPort(), "LLMLB_KAFKA_PORT");
            stopOrder.push(EmbeddedKafkaBroker.start(config.dataDir().resolve("kafka"), config.kafkaPort()));
        }
        brokerProbe = new BrokerProbe(config.processor().kafka());
        stopOrder.push(brokerProbe);
        processor = StateProcessorApp.start(config.processor(), meters);
        stopOrder.push(processor);
        queryApi = QueryApiApp.start(config.queryApi());
        stopOrder.push(queryApi);
        // One process, one copy of the registry: ingest checks tokens against the query API's.
        ingest = IngestApp.start(config.ingest().kafka(), config.ingest().rateLimit(), config.ingest().tickInterval(),
                meters, queryApi.registry());
        stopOrder.push(ingest);
        NodeStateCollector nodeMetrics = new NodeStateCollector(queryApi.nodeView(), config.perNodeMetrics());
        meters.getPrometheusRegistry().register(nodeMetrics);
        server = ServiceLauncher.startServer(config.host(), config.port(), config.serverLimits(),
                () -> isReady() && brokerProbe.isReachable(), meters, nodeMetrics.perNodeSeries(), routing -> {
                    ingest.routing(routing);
                    queryApi.routing(routing);
                }, onListenerDeath);
        stopOrder.push(server);
        awaitReady();
    }

    private void awaitReady() throws InterruptedException {
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        while (!isReady()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("not ready after " + READY_TIMEOUT.toSeconds() + " s: processor "
                        + processor.state() + ", ingest ready " + ingest.isReady() + ", query-api ready "
                        + queryApi.isReady());
            }
            Thread.sleep(50); // polling our own components' states, not waiting on Kafka blindly
        }
    }

    /** Whether every part is running. */
    public boolean isReady() {
        return processor != null && processor.state() == org.apache.kafka.streams.KafkaStreams.State.RUNNING
                && ingest.isReady() && queryApi.isReady();
    }

    /** The HTTP port actually bound. */
    public int port() {
        return server.port();
    }

    /** The Kafka bootstrap address in use. */
    public String bootstrapServers() {
        return bootstrapServers;
    }

    /** Stops everything, newest first, and never throws. */
    @Override
    public void close() {
        while (!stopOrder.isEmpty()) {
            AutoCloseable part = stopOrder.pop();
            try {
                part.close();
            } catch (Exception e) {
                LOG.log(Level.WARNING, "error while stopping " + part, e);
            }
        }
    }
}
