package io.llmlb.health.standalone;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.helidon.webserver.WebServer;
import io.llmlb.health.http.ErrorHandlers;
import io.llmlb.health.http.Meters;
import io.llmlb.health.ingest.IngestApp;
import io.llmlb.health.ingest.limit.HeartbeatRateLimit;
import io.llmlb.health.kafka.KafkaSettings;
import io.llmlb.health.query.QueryApiApp;
import io.llmlb.health.query.config.QueryApiConfig;
import io.llmlb.health.wire.StateChange;
import java.io.File;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Exactly-once, tested the hard way: the state-processor runs as its own process and is killed
 * with SIGKILL in the middle of a heartbeat stream, then started again. Afterwards every node's
 * heartbeat count equals the heartbeats that got a 200, and its transitions are numbered without
 * gaps or duplicates.
 */
class ExactlyOnceCrashTest {

    private static final List<String> NODES = List.of("eo-1", "eo-2", "eo-3", "eo-4");
    private static final int SENDERS_PER_NODE = 4;
    private static final int KILLS = 2;

    @TempDir
    Path dataDir;

    @Test
    void countsAreExactAfterTheProcessorIsKilledMidStream() throws Exception {
        int kafkaPort = EmbeddedKafkaBroker.freePort();
        Map<String, String> env = new HashMap<>(PipelineScenario.testEnvironment(dataDir));
        env.put("LLMLB_KAFKA_BOOTSTRAP", "127.0.0.1:" + kafkaPort);
        KafkaSettings kafka = KafkaSettings.fromEnv(new io.llmlb.health.wire.EnvReader(env));
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(dataDir.resolve("kafka"), kafkaPort);
             IngestApp ingest = IngestApp.start(kafka, HeartbeatRateLimit.fromEnv(new io.llmlb.health.wire.EnvReader(env)),
                     Meters.newRegistry());
             QueryApiApp queryApi = QueryApiApp.start(QueryApiConfig.fromEnv(env))) {
            WebServer server = WebServer.builder().host("127.0.0.1").port(0).routing(routing -> {
                ErrorHandlers.install(routing);
                ingest.routing(routing);
                queryApi.routing(routing);
            }).build().start();
            Process processor = startProcessor(env, "first");
            try {
                ApiClient api = new ApiClient(server.port());
                String jwt = api.adminJwt();
                Map<String, String> tokens = new HashMap<>();
                for (String node : NODES) {
                    tokens.put(node, api.register(jwt, node).json().get("node_token").asText());
                    assertEquals(200, api.admin(jwt, "POST", "/v0/nodes/" + node + "/approve").status());
                }
                await().atMost(Duration.ofSeconds(60)).until(() -> NODES.stream()
                        .allMatch(node -> "online".equals(PipelineScenario.state(api, jwt, node))));

                // When: heartbeats stream in while the processor is killed and restarted.
                Map<String, AtomicLong> accepted = new HashMap<>();
                NODES.forEach(node -> accepted.put(node, new AtomicLong()));
                Map<String, AtomicLong> refused = new java.util.concurrent.ConcurrentHashMap<>();
                AtomicBoolean sending = new AtomicBoolean(true);
                List<Thread> senders = new ArrayList<>();
                for (String node : NODES) {
                    for (int sender = 0; sender < SENDERS_PER_NODE; sender++) {
                        senders.add(Thread.ofVirtual().start(() -> {
                            while (sending.get()) {
                                int status = api.heartbeat(tokens.get(node), ApiClient.seedHeartbeat(node)).status();
                                if (status == 200) {
                                    accepted.get(node).incrementAndGet();
                                } else {
                                    refused.computeIfAbsent(node + ":" + status, k -> new AtomicLong()).incrementAndGet();
                                }
                            }
                        }));
                    }
                }
                for (int kill = 1; kill <= KILLS; kill++) {
                    long processedBefore = PipelineScenario.heartbeats(api, jwt, "eo-1");
                    // Kill only while the processor is demonstrably working through the stream.
                    await().atMost(Duration.ofSeconds(60))
                            .until(() -> PipelineScenario.heartbeats(api, jwt, "eo-1") > processedBefore + 100);
                    processor.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                    processor = startProcessor(env, "restart-" + kill);
                }
                long acceptedAtLastKill = accepted.values().stream().mapToLong(AtomicLong::get).sum();
                await().atMost(Duration.ofSeconds(60)).until(() -> accepted.values().stream()
                        .mapToLong(AtomicLong::get).sum() > acceptedAtLastKill + 200);
                sending.set(false);
                for (Thread sender : senders) {
                    sender.join();
                }

                // Then: counts equal the 200s exactly, and seq has no gaps or duplicates.
                for (String node : NODES) {
                    long expected = accepted.get(node).get();
                    // At least: all processed. Exactly: asserted below, so a duplicate shows as a number.
                    await().atMost(Duration.ofSeconds(60))
                            .until(() -> PipelineScenario.heartbeats(api, jwt, node) >= expected);
                }
                System.out.println("exactly-once: accepted " + accepted + " refused " + refused + " after " + KILLS + " kills");
                for (String node : NODES) {
                    assertEquals(accepted.get(node).get(), PipelineScenario.heartbeats(api, jwt, node), node);
                }
                try (StateChangeReader changes = new StateChangeReader(kafka.bootstrapServers(),
                        kafka.topics().nodeStateChanges())) {
                    for (String node : NODES) {
                        await().atMost(Duration.ofSeconds(10)).until(() -> changes.changesOf(node).size() >= 2);
                        List<Long> seqs = changes.changesOf(node).stream().map(StateChange::seq).toList();
                        for (int i = 0; i < seqs.size(); i++) {
                            assertEquals(i + 1, seqs.get(i), node + " seqs " + seqs);
                        }
                    }
                }
            } finally {
                processor.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                server.stop();
            }
        }
    }

    /** The state-processor's own main, in a child JVM on this test's classpath. */
    private Process startProcessor(Map<String, String> env, String name) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder builder = new ProcessBuilder(java, "-Xmx512m",
                "-Djava.util.logging.config.file=" + RepoPaths.root().resolve("config").resolve("logging-test.properties"),
                "-cp", System.getProperty("java.class.path"), "io.llmlb.health.processor.StateProcessorMain");
        builder.environment().putAll(env);
        builder.environment().put("LLMLB_PORT", "0");
        builder.redirectErrorStream(true);
        builder.redirectOutput(new File(dataDir.toFile(), "processor-" + name + ".log"));
        Process process = builder.start();
        assertTrue(process.isAlive());
        return process;
    }
}
