package io.llmlb.health.standalone;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/** The pipeline scenario on the embedded KRaft broker: always runs, in CI too. */
class EmbeddedPipelineTest extends PipelineScenario {

    private final int kafkaPort = EmbeddedKafkaBroker.freePort();

    @Override
    Standalone startStandalone(Path dataDir) throws InterruptedException {
        Map<String, String> env = new HashMap<>(testEnvironment(dataDir));
        env.put("LLMLB_KAFKA_PORT", String.valueOf(kafkaPort));
        return Standalone.start(StandaloneConfig.fromEnv(env).withTimings(NODE_TIMEOUT, CHECK_INTERVAL));
    }

    @Override
    String bootstrap() {
        return "127.0.0.1:" + kafkaPort;
    }
}
