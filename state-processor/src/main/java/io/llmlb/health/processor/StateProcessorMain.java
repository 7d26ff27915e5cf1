package io.llmlb.health.processor;

import io.llmlb.health.processor.config.StateProcessorConfig;
import io.llmlb.health.wire.ConfigException;
import java.util.concurrent.CountDownLatch;

/** Runs the state-processor on its own against an external Kafka (one container per instance). */
public final class StateProcessorMain {

    private StateProcessorMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        StateProcessorConfig config;
        try {
            config = StateProcessorConfig.fromEnv(System.getenv());
        } catch (ConfigException e) {
            System.err.println("configuration error: " + e.getMessage());
            System.exit(2);
            return;
        }
        StateProcessorApp app = StateProcessorApp.start(config);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            app.close();
            stopped.countDown();
        }, "state-processor-shutdown"));
        stopped.await();
    }
}
