package io.llmlb.health.processor;

import io.llmlb.health.http.Meters;
import io.llmlb.health.http.ServiceLauncher;
import io.llmlb.health.processor.config.ProcessorServerConfig;
import io.llmlb.health.processor.config.StateProcessorConfig;
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
        ProcessorServerConfig server = ServiceLauncher.configOrExit(() -> ProcessorServerConfig.fromEnv(System.getenv()));
        PrometheusMeterRegistry meters = Meters.newRegistry();
        StateProcessorApp app = StateProcessorApp.start(config, meters);
        ServiceLauncher.serveUntilStopped("state-processor", ProcessorServerConfig.HOST, server.port(), server.limits(),
                config.kafka(),
                config.kafka().topics().all(), app::isRunning, meters, routing -> { }, app);
    }
}
