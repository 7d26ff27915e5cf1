package io.llmlb.health.standalone;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.kafka.KafkaContainer;

/**
 * The pipeline scenario on Testcontainers' Kafka (apache/kafka image), with the services pointed
 * at it through {@code LLMLB_KAFKA_BOOTSTRAP}. Needs a Docker engine; where there is none the
 * test is skipped with that reason, and {@link EmbeddedPipelineTest} runs the same scenario.
 */
class TestcontainersPipelineTest extends PipelineScenario {

    private static KafkaContainer kafka;

    @BeforeEach
    void startKafka() {
        // In @BeforeEach, not @BeforeAll, so the report lists the test as skipped with this reason.
        assumeTrue(dockerAvailable(), "skipped: no Docker engine on this machine; the same scenario runs on the "
                + "embedded KRaft broker in EmbeddedPipelineTest");
        if (kafka == null) {
            kafka = new KafkaContainer("apache/kafka:4.1.0");
            kafka.start();
        }
    }

    @AfterAll
    static void stopKafka() {
        if (kafka != null) {
            kafka.stop();
        }
    }

    private static boolean dockerAvailable() {
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (RuntimeException e) {
            return false;
        }
    }

    @Override
    Standalone startStandalone(Path dataDir) throws InterruptedException {
        Map<String, String> env = new HashMap<>(testEnvironment(dataDir));
        env.put("LLMLB_KAFKA_BOOTSTRAP", kafka.getBootstrapServers());
        return Standalone.start(StandaloneConfig.fromEnv(env).withTimings(NODE_TIMEOUT, CHECK_INTERVAL));
    }

    @Override
    String bootstrap() {
        return kafka.getBootstrapServers();
    }
}
