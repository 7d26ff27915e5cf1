package io.llmlb.health.processor;

import io.helidon.webserver.WebServer;
import io.llmlb.health.http.ErrorHandlers;
import io.llmlb.health.http.HealthService;
import io.llmlb.health.http.Meters;
import io.llmlb.health.http.MetricsService;
import io.llmlb.health.processor.config.StateProcessorConfig;
import io.llmlb.health.wire.ConfigException;
import io.llmlb.health.wire.EnvReader;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.concurrent.CountDownLatch;
import java.util.logging.Logger;

/**
 * Runs the state-processor on its own against an external Kafka (one container per instance),
 * with {@code /metrics} and {@code /health/*} on {@code LLMLB_PORT} (default 8080).
 */
public final class StateProcessorMain {

    private static final Logger LOG = Logger.getLogger(StateProcessorMain.class.getName());

    private StateProcessorMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        StateProcessorConfig config;
        int port;
        try {
            config = StateProcessorConfig.fromEnv(System.getenv());
            port = new EnvReader(System.getenv()).port("LLMLB_PORT", 8080);
        } catch (ConfigException e) {
            System.err.println("configuration error: " + e.getMessage());
            System.exit(2);
            return;
        }
        PrometheusMeterRegistry meters = Meters.newRegistry();
        StateProcessorApp app = StateProcessorApp.start(config, meters);
        WebServer server = WebServer.builder()
                .port(port)
                .shutdownHook(false)
                .routing(routing -> {
                    ErrorHandlers.install(routing);
                    routing.register(new HealthService(app::isRunning), new MetricsService(meters));
                })
                .build()
                .start();
        LOG.info("state-processor metrics and health on port " + server.port());
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.stop();
            app.close();
            stopped.countDown();
        }, "state-processor-shutdown"));
        stopped.await();
    }
}
