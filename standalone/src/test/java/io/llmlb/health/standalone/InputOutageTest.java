package io.llmlb.health.standalone;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.helidon.webserver.WebServer;
import io.llmlb.health.http.ErrorHandlers;
import io.llmlb.health.http.Meters;
import io.llmlb.health.ingest.IngestApp;
import io.llmlb.health.kafka.KafkaSettings;
import io.llmlb.health.processor.StateProcessorApp;
import io.llmlb.health.processor.config.StateProcessorConfig;
import io.llmlb.health.query.QueryApiApp;
import io.llmlb.health.query.config.QueryApiConfig;
import io.llmlb.health.wire.EnvReader;
import io.llmlb.health.wire.StateChange;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The broker outage, on a real broker: the only broker is stopped for three node
 * timeouts while one node keeps trying and another is already silent. The node that kept trying
 * must not be called offline afterwards; the silent one is judged one timeout after the broker
 * is back, and that verdict is counted as deferred, not as detection lag.
 *
 * <p>The outage lasts over two minutes (each refused heartbeat waits out the ingest producer's
 * delivery timeout), longer than Kafka's default 60 s for a transaction commit. That once killed
 * the stream thread: after the timed-out commit, Kafka Streams still ran the wall-clock
 * punctuator, whose forward failed. The processor's commit now waits out such an outage
 * ({@code StateProcessorApp.COMMIT_WAITS_OUT}); this test is the proof.
 */
class InputOutageTest {

    private static final Duration NODE_TIMEOUT = Duration.ofSeconds(6);
    private static final Duration CHECK_INTERVAL = Duration.ofMillis(500);
    private static final Duration BEAT_EVERY = Duration.ofMillis(500);

    @TempDir
    Path dataDir;

    @Test
    void brokerOutageLongerThanTheTimeoutCallsNoNodeThatKeptTryingOffline() throws Exception {
        int kafkaPort = EmbeddedKafkaBroker.freePort();
        Map<String, String> env = new HashMap<>(PipelineScenario.testEnvironment(dataDir));
        env.put("LLMLB_KAFKA_BOOTSTRAP", "127.0.0.1:" + kafkaPort);
        KafkaSettings kafka = KafkaSettings.fromEnv(new EnvReader(env));
        Path kafkaDir = dataDir.resolve("kafka");
        EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(kafkaDir, kafkaPort);
        PrometheusMeterRegistry processorMeters = Meters.newRegistry();
        AtomicBoolean beating = new AtomicBoolean(true);
        try (StateProcessorApp processor = StateProcessorApp.start(
                     StateProcessorConfig.fromEnv(env).withTimings(NODE_TIMEOUT, CHECK_INTERVAL), processorMeters);
             IngestApp ingest = IngestApp.start(kafka, Meters.newRegistry());
             QueryApiApp queryApi = QueryApiApp.start(QueryApiConfig.fromEnv(env))) {
            WebServer server = WebServer.builder().host("127.0.0.1").port(0).routing(routing -> {
                ErrorHandlers.install(routing);
                ingest.routing(routing);
                queryApi.routing(routing);
            }).build().start();
            try {
                ApiClient api = new ApiClient(server.port());
                String jwt = api.adminJwt();
                String steadyToken = registerAndApprove(api, jwt, "steady");
                String silentToken = registerAndApprove(api, jwt, "silent");
                assertEquals(200, api.heartbeat(silentToken, ApiClient.seedHeartbeat("silent")).status());

                // Given: "steady" beats twice a second and keeps trying whatever it is told.
                AtomicLong refused = new AtomicLong();
                AtomicLong accepted = new AtomicLong();
                Thread steady = Thread.ofVirtual().start(() -> {
                    while (beating.get()) {
                        int status = api.heartbeat(steadyToken, ApiClient.seedHeartbeat("steady")).status();
                        (status == 200 ? accepted : refused).incrementAndGet();
                        pace(BEAT_EVERY);
                    }
                });
                await().atMost(Duration.ofSeconds(30)).until(() -> accepted.get() >= 4);
                await().atMost(Duration.ofSeconds(30)).until(() -> PipelineScenario.state(api, jwt, "silent"),
                        "offline"::equals);
                // "silent" is now offline on time; bring it back once so its next silence falls in the outage.
                assertEquals(200, api.heartbeat(silentToken, ApiClient.seedHeartbeat("silent")).status());
                await().atMost(Duration.ofSeconds(10)).until(() -> PipelineScenario.state(api, jwt, "silent"),
                        "online"::equals);

                // When: the only broker is gone until "steady" has been refused for three timeouts.
                broker.close();
                long refusedBefore = refused.get();
                long attemptsForThreeTimeouts = 3 * NODE_TIMEOUT.toMillis() / BEAT_EVERY.toMillis();
                await().atMost(Duration.ofMinutes(3)).until(() -> refused.get() - refusedBefore >= attemptsForThreeTimeouts);
                broker = EmbeddedKafkaBroker.start(kafkaDir, kafkaPort);
                long acceptedAtRestart = accepted.get();
                await().atMost(Duration.ofMinutes(2)).until(() -> accepted.get() > acceptedAtRestart + 4);

                // Then: "silent" is judged (one timeout after the recovery, a deferred verdict; Kafka
                // Streams first has to get its transactions going again, which took over a minute on
                // a loaded host) ...
                await().atMost(Duration.ofMinutes(3)).until(() -> PipelineScenario.state(api, jwt, "silent"),
                        "offline"::equals);
                // ... and "steady", which kept trying, was never called offline.
                assertEquals("online", PipelineScenario.state(api, jwt, "steady"));
                try (StateChangeReader changes = new StateChangeReader(kafka.bootstrapServers(),
                        kafka.topics().nodeStateChanges())) {
                    await().atMost(Duration.ofSeconds(30)).until(() -> changes.changesOf("silent").size() >= 5);
                    assertTrue(changes.changesOf("steady").stream().noneMatch(c -> StateChange.TIMEOUT.equals(c.reason())),
                            "steady: " + changes.changesOf("steady"));
                }
                String scrape = processorMeters.scrape();
                assertTrue(scrape.contains("llm_router_detection_deferred_total 1.0"), "deferred verdicts:\n"
                        + scrape.lines().filter(line -> line.startsWith("llm_router_detection")).toList());
                System.out.println("input outage: steady accepted " + accepted + " refused " + refused);
                beating.set(false);
                steady.join();
            } finally {
                beating.set(false);
                server.stop();
            }
        } finally {
            broker.close();
        }
    }

    private static String registerAndApprove(ApiClient api, String jwt, String nodeId) {
        String token = api.register(jwt, nodeId).json().get("node_token").asText();
        assertEquals(200, api.admin(jwt, "POST", "/v0/nodes/" + nodeId + "/approve").status());
        return token;
    }

    /** The node's own beat period: what a real agent does between heartbeats, not a wait for Kafka. */
    private static void pace(Duration period) {
        try {
            Thread.sleep(period);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
