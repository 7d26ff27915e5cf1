package io.llmlb.health.standalone;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.PortBinding;
import com.github.dockerjava.api.model.Ports;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.kafka.KafkaContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * The pipeline scenario on Testcontainers' Kafka module, with the services pointed at it through
 * {@code LLMLB_KAFKA_BOOTSTRAP}. No registry answers here, so the broker is the offline kit's
 * apache/kafka stand-in (built by {@code deploy/offline-images.sh} when absent, then reused),
 * declared a compatible substitute; Ryuk is disabled (TESTCONTAINERS_RYUK_DISABLED in the
 * standalone pom) and the container is stopped here. Runs in the integration-test phase, after
 * packaging, because the kit builds the image from the packaged jars. Needs a Docker engine;
 * where there is none the test is skipped with that reason, and {@link EmbeddedPipelineTest}
 * runs the same scenario.
 */
class TestcontainersPipelineTest extends PipelineScenario {

    /** The kit's tag for the images of this test: kept between runs, like the kit's base layers. */
    private static final String KIT_TAG = "testcontainers";
    private static final String BROKER_IMAGE = "llmlb-local/kafka:" + KIT_TAG;
    /** The listener Testcontainers' KafkaContainer advertises to the host. */
    private static final int KAFKA_PORT = 9092;

    private static KafkaContainer kafka;

    @BeforeEach
    void startKafka() {
        // In @BeforeEach, not @BeforeAll, so the report lists the test as skipped with this reason.
        assumeTrue(dockerAvailable(), "skipped: no Docker engine on this machine; the same scenario runs on the "
                + "embedded KRaft broker in EmbeddedPipelineTest");
        if (kafka == null) {
            if (!DockerTools.imageExists(BROKER_IMAGE)) {
                buildBrokerImage();
            }
            kafka = new KafkaContainer(DockerImageName.parse(BROKER_IMAGE).asCompatibleSubstituteFor("apache/kafka"))
                    // Published on the loopback interface only (a random port), not on 0.0.0.0.
                    .withCreateContainerCmdModifier(create -> create.getHostConfig().withPortBindings(
                            new PortBinding(Ports.Binding.bindIp("127.0.0.1"), ExposedPort.tcp(KAFKA_PORT))));
            kafka.start();
        }
    }

    @AfterAll
    static void stopKafka() {
        if (kafka != null) {
            kafka.stop();
        }
    }

    private static void buildBrokerImage() {
        try {
            Path envFile = Files.createTempFile("llmlb-testcontainers-", ".env");
            try {
                DockerTools.buildOfflineImages(KIT_TAG, envFile);
            } finally {
                Files.deleteIfExists(envFile);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
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
