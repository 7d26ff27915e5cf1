package io.llmlb.health.query;

import io.helidon.webserver.WebServer;
import io.llmlb.health.http.ErrorHandlers;
import io.llmlb.health.http.HealthService;
import io.llmlb.health.http.Meters;
import io.llmlb.health.http.MetricsService;
import io.llmlb.health.query.metrics.NodeStateCollector;
import io.llmlb.health.wire.EnvReader;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.List;
import io.llmlb.health.query.config.QueryApiConfig;
import io.llmlb.health.wire.ConfigException;
import java.util.logging.Logger;

/** Runs the query API on its own against an external Kafka (one container per replica). */
public final class QueryApiMain {

    private static final Logger LOG = Logger.getLogger(QueryApiMain.class.getName());

    private QueryApiMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        QueryApiConfig config;
        try {
            config = QueryApiConfig.fromEnv(System.getenv());
        } catch (ConfigException e) {
            System.err.println("configuration error: " + e.getMessage());
            System.exit(2);
            return;
        }
        boolean perNodeMetrics = NodeStateCollector.perNodeFromEnv(new EnvReader(System.getenv()));
        QueryApiApp app = QueryApiApp.start(config);
        PrometheusMeterRegistry meters = Meters.newRegistry();
        meters.getPrometheusRegistry().register(new NodeStateCollector(app.nodeStates(), perNodeMetrics));
        new KafkaStreamsMetrics(app.viewStreams(), List.of(Tag.of("app", "query-api"))).bindTo(meters);
        WebServer server = WebServer.builder()
                .host(config.host())
                .port(config.port())
                .shutdownHook(false)
                .routing(routing -> {
                    ErrorHandlers.install(routing);
                    routing.register(new HealthService(app::isReady), new MetricsService(meters));
                    app.routing(routing);
                })
                .build()
                .start();
        LOG.info("query-api listening on port " + server.port());
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.stop();
            app.close();
        }, "query-api-shutdown"));
    }
}
