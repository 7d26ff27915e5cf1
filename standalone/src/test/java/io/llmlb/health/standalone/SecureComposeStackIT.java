package io.llmlb.health.standalone;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The secured compose variant ({@code docker-compose.yml} + {@code docker-compose.secure.yml}),
 * built by the offline kit and run for real: secrets made at first start by the one-shot
 * kafka-pki, SCRAM users, topics and ACLs applied by kafka-setup, the seed flow through the
 * gateway with each service on SASL_SSL under its own principal; from the host, through the
 * published EXTERNAL listener, a plaintext client and a wrong password are refused and the
 * ingest and query-api principals cannot write outside their rights; no broker has a plaintext
 * listener. Removes what it starts. Skipped, with the reason, only where no Docker engine answers.
 */
class SecureComposeStackIT {

    private static final Path REPO = RepoPaths.root();
    private static final Duration STACK_START = Duration.ofMinutes(15);
    private static final Pattern PASSWORD = Pattern.compile("password=\"([^\"]+)\"");

    @TempDir
    Path work;

    @Test
    void securedStackServesTheSeedAndRefusesWhatIsNotAllowed() throws Exception {
        assumeTrue(DockerTools.engineAnswers(), "skipped: no Docker engine answers `docker info` on this machine, "
                + "so the compose stack cannot run (CI starts one in .ci/run)");
        String project = "llmlbsec" + HexFormat.of().formatHex(new SecureRandom().generateSeed(4));
        Path envFile = work.resolve("offline.env");
        Map<String, String> environment = DockerTools.stackEnvironment();
        List<String> compose = DockerTools.concat(DockerTools.composeCommand(), "-p", project,
                "--env-file", envFile.toString(), "-f", REPO.resolve("docker-compose.yml").toString(),
                "-f", REPO.resolve("docker-compose.secure.yml").toString());
        ApiClient gateway = new ApiClient(Integer.parseInt(environment.get("LLMLB_GATEWAY_PORT")));
        String external = "127.0.0.1:" + environment.get("LLMLB_KAFKA_1_PORT");
        long started = System.nanoTime();
        try {
            DockerTools.buildOfflineImages(project, envFile);
            compose(compose, environment, "up", "-d");
            Awaitility.await("the gateway answers /health/ready").atMost(STACK_START).pollInterval(Duration.ofSeconds(2))
                    .ignoreExceptions()
                    .until(() -> gateway.send("GET", "/health/ready", Map.of(), null).status() == 200);
            log("secured stack ready %d s after the start of the image build", secondsSince(started));

            // The seed flow, every service on SASL_SSL with its own principal.
            String jwt = gateway.adminJwt();
            ApiClient.Reply registered = Awaitility.await("registration").atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofSeconds(2))
                    .until(() -> gateway.register(jwt, "secure-node-1"), reply -> reply.status() == 201);
            String nodeToken = registered.json().get("node_token").asText();
            // The next request may reach the other replica, which waits up to 10 s for its registry
            // to reach the topic's end before answering 404 (5 s, then 401, in ingest); on this
            // shared machine that can take longer, and a client retries as it would after any such answer.
            Awaitility.await("approval").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1))
                    .until(() -> gateway.admin(jwt, "POST", "/v0/nodes/secure-node-1/approve").status(), status -> status == 200);
            Awaitility.await("first heartbeat").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1))
                    .until(() -> gateway.heartbeat(nodeToken, ApiClient.seedHeartbeat("secure-node-1")).status(),
                            status -> status == 200);
            // At load 100 on two cores the state-processor replicas rebalance for minutes after start.
            Awaitility.await("secure-node-1 online with its heartbeat counted").atMost(Duration.ofMinutes(5))
                    .pollInterval(Duration.ofSeconds(2))
                    .until(() -> {
                        JsonNode node = gateway.node(jwt, "secure-node-1");
                        return node != null && "online".equals(node.get("state").asText())
                                && node.get("heartbeats").asLong() >= 1;
                    });
            assertTrue(gateway.send("GET", "/metrics", Map.of(), null).body()
                    .contains("llm_router_node_state{node_id=\"secure-node-1\",state=\"online\"} 1.0"));

            // No broker has a plaintext listener, on the compose network or published.
            for (String broker : List.of("kafka-1", "kafka-2", "kafka-3")) {
                String config = exec(compose, environment, broker, "cat", "/opt/kafka/config/server.properties");
                assertTrue(config.contains("listener.security.protocol.map=INTERNAL:SASL_SSL,EXTERNAL:SASL_SSL,BROKER:SSL,CONTROLLER:SSL"),
                        broker + ": " + config);
                assertFalse(config.contains(":PLAINTEXT"), broker + " has a plaintext listener");
            }

            // From the host, through the published SASL_SSL listener, with the secrets the services got.
            Path ca = work.resolve("ca.crt");
            Files.writeString(ca, pem(exec(compose, environment, "ingest-1", "cat", "/etc/llmlb/kafka/ca.crt")));
            String ingestPassword = password(exec(compose, environment, "ingest-1", "cat", "/etc/llmlb/kafka/client.properties"));
            String queryPassword = password(exec(compose, environment, "query-api-1", "cat", "/etc/llmlb/kafka/client.properties"));

            try (Admin plaintext = Admin.create(Map.of("bootstrap.servers", external,
                    "default.api.timeout.ms", 8_000, "request.timeout.ms", 5_000))) {
                assertThrows(ExecutionException.class, () -> plaintext.listTopics().names().get(15, TimeUnit.SECONDS));
            }
            try (Admin wrong = Admin.create(scram(external, ca, "llmlb-ingest", "wrong-password"))) {
                ExecutionException e = assertThrows(ExecutionException.class,
                        () -> wrong.listTopics().names().get(30, TimeUnit.SECONDS));
                assertInstanceOf(SaslAuthenticationException.class, e.getCause());
            }
            assertWriteRefused(scram(external, ca, "llmlb-ingest", ingestPassword), "llmlb.node-registry");
            assertWriteRefused(scram(external, ca, "llmlb-query", queryPassword), "llmlb.heartbeats");
            log("secured compose test took %d s in all", secondsSince(started));
        } finally {
            DockerTools.Result down = DockerTools.run(DockerTools.concat(compose, "down", "-v", "--remove-orphans"),
                    environment, Duration.ofMinutes(3));
            assertTrue(down.succeeded(), down.output());
            for (String image : List.of("llmlb-health", "kafka", "nginx", "prometheus")) {
                DockerTools.run(List.of("docker", "image", "rm", "llmlb-local/" + image + ":" + project), Map.of(),
                        Duration.ofMinutes(1));
            }
        }
    }

    private static void assertWriteRefused(Map<String, Object> client, String topic) {
        Map<String, Object> props = new HashMap<>(client);
        props.put("enable.idempotence", false);
        props.put("max.block.ms", 30_000);
        props.put("delivery.timeout.ms", 30_000);
        props.put("request.timeout.ms", 10_000);
        try (var producer = new KafkaProducer<>(props, new StringSerializer(), new StringSerializer())) {
            Exception refusal = assertThrows(Exception.class,
                    () -> producer.send(new ProducerRecord<>(topic, "evil", "{\"node_id\":\"evil\"}")).get(60, TimeUnit.SECONDS));
            Throwable cause = refusal instanceof ExecutionException ? refusal.getCause() : refusal;
            assertInstanceOf(TopicAuthorizationException.class, cause, "writing " + topic + ": " + refusal);
        }
    }

    private static Map<String, Object> scram(String bootstrap, Path ca, String user, String password) {
        Map<String, Object> props = new HashMap<>();
        props.put("bootstrap.servers", bootstrap);
        props.put("security.protocol", "SASL_SSL");
        props.put("sasl.mechanism", "SCRAM-SHA-512");
        props.put("sasl.jaas.config", BrokerSecurity.jaas(user, password));
        props.put("ssl.truststore.type", "PEM");
        props.put("ssl.truststore.location", ca.toString());
        props.put("default.api.timeout.ms", 20_000);
        props.put("request.timeout.ms", 10_000);
        return props;
    }

    /** The certificate alone: compose may print warnings on the same stream. */
    private static String pem(String output) {
        int begin = output.indexOf("-----BEGIN CERTIFICATE-----");
        int end = output.indexOf("-----END CERTIFICATE-----");
        assertTrue(begin >= 0 && end > begin, "no certificate in: " + output);
        return output.substring(begin, end + "-----END CERTIFICATE-----".length()) + "\n";
    }

    private static String password(String clientProperties) {
        Matcher matcher = PASSWORD.matcher(clientProperties);
        assertTrue(matcher.find(), "no SCRAM password in the service's client.properties");
        return matcher.group(1);
    }

    private static String exec(List<String> compose, Map<String, String> environment, String service, String... command) {
        DockerTools.Result result = DockerTools.run(DockerTools.concat(DockerTools.concat(compose, "exec", "-T", service),
                command), environment, Duration.ofMinutes(1));
        assertTrue(result.succeeded(), service + ": " + String.join(" ", command) + "\n" + result.output());
        return result.output();
    }


    private static void compose(List<String> compose, Map<String, String> environment, String... command) {
        DockerTools.composeOrFail(compose, environment, STACK_START, command);
    }

    private static long secondsSince(long nanoTime) {
        return Duration.ofNanos(System.nanoTime() - nanoTime).toSeconds();
    }

    private static void log(String format, Object... args) {
        System.out.println("SecureComposeStackIT: " + format.formatted(args));
    }
}
