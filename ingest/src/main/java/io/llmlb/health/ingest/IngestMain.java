package io.llmlb.health.ingest;

import io.llmlb.health.http.Meters;
import io.llmlb.health.http.ServiceLauncher;
import io.llmlb.health.ingest.config.IngestConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.List;
import java.util.logging.Logger;

/** Runs ingest on its own against an external Kafka (one container per replica). */
public final class IngestMain {

    private static final Logger LOG = Logger.getLogger(IngestMain.class.getName());

    private IngestMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        IngestConfig config = ServiceLauncher.configOrExit(() -> IngestConfig.fromEnv(System.getenv()));
        LOG.info(config.describe());
        PrometheusMeterRegistry meters = Meters.newRegistry();
        IngestApp app = IngestApp.start(config.kafka(), config.rateLimit(), config.tickInterval(), meters);
        ServiceLauncher.serveUntilStopped("ingest", config.host(), config.port(), config.serverLimits(), config.kafka(),
                List.of(config.kafka().topics().nodeRegistry(), config.kafka().topics().heartbeats()), app::isReady,
                meters, app::routing, app);
    }
}
