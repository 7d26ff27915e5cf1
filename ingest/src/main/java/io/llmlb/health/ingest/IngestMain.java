package io.llmlb.health.ingest;

import io.helidon.webserver.WebServer;
import io.llmlb.health.http.ErrorHandlers;
import io.llmlb.health.http.HealthService;
import io.llmlb.health.http.Meters;
import io.llmlb.health.http.MetricsService;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.llmlb.health.ingest.config.IngestConfig;
import io.llmlb.health.wire.ConfigException;
import java.util.logging.Logger;

/** Runs ingest on its own against an external Kafka (one container per replica). */
public final class IngestMain {

    private static final Logger LOG = Logger.getLogger(IngestMain.class.getName());

    private IngestMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        IngestConfig config;
        try {
            config = IngestConfig.fromEnv(System.getenv());
        } catch (ConfigException e) {
            System.err.println("configuration error: " + e.getMessage());
            System.exit(2);
            return;
        }
        LOG.info(config.describe());
        PrometheusMeterRegistry meters = Meters.newRegistry();
        IngestApp app = IngestApp.start(config.kafka(), meters);
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
        LOG.info("ingest listening on port " + server.port());
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.stop();
            app.close();
        }, "ingest-shutdown"));
    }
}
