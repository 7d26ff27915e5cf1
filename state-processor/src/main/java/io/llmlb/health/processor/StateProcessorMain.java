package io.llmlb.health.processor;

import io.llmlb.health.http.Meters;
import io.llmlb.health.http.ServiceLauncher;
import io.llmlb.health.http.server.ServerLimits;
import io.llmlb.health.processor.config.StateProcessorConfig;
import io.llmlb.health.wire.EnvReader;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

/**
 * Runs the state-processor on its own against an external Kafka (one container per instance),
 * with {@code /metrics} and {@code /health/*} on {@code LLMLB_PORT} (default 8080).
 */
public final class StateProcessorMain {

    private StateProcessorMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        StateProcessorConfig config = ServiceLauncher.configOrExit(() -> StateProcessorConfig.fromEnv(System.getenv()));
        // Its own HTTP settings beside the processor's config: the state-processor serves only /metrics and /health.
        int port = ServiceLauncher.configOrExit(() -> new EnvReader(System.getenv()).port("LLMLB_PORT", 8080));
        ServerLimits limits = ServiceLauncher.configOrExit(() -> ServerLimits.fromEnv(System.getenv()));
        PrometheusMeterRegistry meters = Meters.newRegistry();
        StateProcessorApp app = StateProcessorApp.start(config, meters);
        ServiceLauncher.serveUntilStopped("state-processor", "0.0.0.0", port, limits, config.kafka(),
                config.kafka().topics().all(), app::isRunning, meters, routing -> { }, app);
    }
}
