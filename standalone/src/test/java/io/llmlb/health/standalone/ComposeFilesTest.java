package io.llmlb.health.standalone;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.llmlb.health.wire.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;

/**
 * What docker-compose.yml and the gateway's nginx.conf promise, read from the files themselves
 * (fast, no Docker): loopback-only ports, a log volume per broker, no shared state, restart
 * policies, HTTP/1.1 healthchecks, a required JWT secret, nginx re-resolving replicas.
 * {@link ComposeStackIT} runs the stack for real.
 */
class ComposeFilesTest {

    private static final Path REPO = RepoPaths.root();

    @TempDir
    Path nginxPrefix;

    @Test
    void everyPublishedPortIsOnLoopbackAndEveryServiceRestarts() throws Exception {
        JsonNode services = services();
        for (Map.Entry<String, JsonNode> service : services.properties()) {
            assertEquals("unless-stopped", service.getValue().path("restart").asText(), service.getKey() + " restart policy");
            for (JsonNode port : service.getValue().path("ports")) {
                assertTrue(port.asText().startsWith("127.0.0.1:"), service.getKey() + " publishes " + port);
            }
        }
    }

    @Test
    void threeBrokersEachWithItsOwnLogVolume() throws Exception {
        JsonNode services = services();
        Set<String> volumes = new HashSet<>();
        for (String broker : List.of("kafka-1", "kafka-2", "kafka-3")) {
            JsonNode kafka = services.get(broker);
            assertNotNull(kafka, broker);
            assertEquals("/var/lib/kafka/data", kafka.get("environment").get("KAFKA_LOG_DIRS").asText());
            assertEquals("2", kafka.get("environment").get("KAFKA_MIN_INSYNC_REPLICAS").asText());
            String volume = kafka.get("volumes").get(0).asText();
            assertTrue(volume.endsWith(":/var/lib/kafka/data"), volume);
            assertTrue(volumes.add(volume.substring(0, volume.indexOf(':'))), "shared broker volume " + volume);
        }
    }

    /**
     * docker-compose.controllers.yml: three controllers of their own, each with a log volume, in the
     * quorum every broker is told about, and brokers that no longer vote. A voter list that names a
     * service the file does not define, or a broker still listening as a controller, would start a
     * stack that never forms a quorum.
     */
    @Test
    void theDedicatedControllersOverlayMakesBrokersOnlyBrokers() throws Exception {
        JsonNode overlay = services("docker-compose.controllers.yml");
        Set<String> voters = new HashSet<>();
        Set<String> volumes = new HashSet<>();
        for (int i = 1; i <= 3; i++) {
            JsonNode controller = overlay.get("controller-" + i);
            assertNotNull(controller, "controller-" + i);
            JsonNode env = controller.get("environment");
            assertEquals("controller", env.get("KAFKA_PROCESS_ROLES").asText());
            assertEquals(String.valueOf(100 + i), env.get("KAFKA_NODE_ID").asText());
            assertEquals("CONTROLLER://:9093", env.get("KAFKA_LISTENERS").asText());
            assertEquals("unless-stopped", controller.get("restart").asText());
            assertTrue(controller.path("ports").isMissingNode(), "a controller publishes nothing");
            String volume = controller.get("volumes").get(0).asText();
            assertTrue(volume.endsWith(":/var/lib/kafka/data"), volume);
            assertTrue(volumes.add(volume.substring(0, volume.indexOf(':'))), "shared controller volume " + volume);
            voters.add(env.get("KAFKA_CONTROLLER_QUORUM_VOTERS").asText());
        }
        for (String broker : List.of("kafka-1", "kafka-2", "kafka-3")) {
            JsonNode env = overlay.get(broker).get("environment");
            assertEquals("broker", env.get("KAFKA_PROCESS_ROLES").asText());
            assertFalse(env.get("KAFKA_LISTENERS").asText().contains("CONTROLLER"), broker + " must not listen as a controller");
            voters.add(env.get("KAFKA_CONTROLLER_QUORUM_VOTERS").asText());
        }
        assertEquals(Set.of("101@controller-1:9093,102@controller-2:9093,103@controller-3:9093"), voters);
        JsonNode base = services("docker-compose.yml").get("kafka-1").get("environment");
        JsonNode controllerEnv = overlay.get("controller-1").get("environment");
        for (String shared : List.of("CLUSTER_ID", "KAFKA_MIN_INSYNC_REPLICAS", "KAFKA_DEFAULT_REPLICATION_FACTOR",
                "KAFKA_BROKER_SESSION_TIMEOUT_MS", "KAFKA_CONTROLLER_QUORUM_FETCH_TIMEOUT_MS")) {
            assertEquals(base.get(shared).asText(), controllerEnv.get(shared).asText(), shared + " as the brokers have it");
        }
    }

    @Test
    void twoReplicasPerServiceWithoutSharedStateAndWithHttp11Healthchecks() throws Exception {
        JsonNode services = services();
        for (String role : List.of("ingest", "state-processor", "query-api")) {
            for (String replica : List.of(role + "-1", role + "-2")) {
                JsonNode service = services.get(replica);
                assertNotNull(service, replica);
                assertTrue(service.path("volumes").isMissingNode(), replica + " must not share a state volume");
                assertEquals(role, service.get("networks").get("default").get("aliases").get(0).asText(),
                        replica + " carries its role's alias, through which nginx and Prometheus find it");
                String healthcheck = service.get("healthcheck").get("test").toString();
                assertTrue(healthcheck.contains("HTTP/1.1"), replica + ": " + healthcheck);
            }
        }
        assertEquals("1", services.get("state-processor-1").get("environment").get("LLMLB_STANDBY_REPLICAS").asText());
    }

    @Test
    void jwtSecretIsRequiredNotDefaulted() throws Exception {
        for (String replica : List.of("query-api-1", "query-api-2")) {
            String secret = services().get(replica).get("environment").get("LLMLB_JWT_SECRET").asText();
            assertTrue(secret.startsWith("${LLMLB_JWT_SECRET:?"), replica + ": " + secret);
        }
    }

    @Test
    void gatewayHoldsConnectionsForAThousandsStrongFleet() throws Exception {
        String conf = Files.readString(REPO.resolve("deploy/nginx/nginx.conf"));

        // nginx's default (512 per worker) answered 500 to a 2,000-node fleet: two connections a request.
        Matcher connections = Pattern.compile("worker_connections\\s+(\\d+);").matcher(conf);
        assertTrue(connections.find(), "worker_connections is set");
        assertTrue(Integer.parseInt(connections.group(1)) >= 4_096, "worker_connections " + connections.group(1));
    }

    @Test
    void gatewayResolvesReplicasPerRequestAndStreamsEventsUnbuffered() throws Exception {
        String conf = Files.readString(REPO.resolve("deploy/nginx/nginx.conf"));

        assertTrue(conf.contains("resolver 127.0.0.11"), "Docker's resolver");
        assertFalse(conf.lines().anyMatch(line -> line.strip().matches("upstream\\s+\\S+\\s*\\{.*")),
                "an upstream block resolves its servers once, at start");
        for (String line : conf.lines().filter(l -> l.trim().startsWith("proxy_pass")).toList()) {
            assertTrue(line.trim().matches("proxy_pass \\$[a-z_]+;"), "proxy_pass through a variable: " + line);
        }
        String events = conf.substring(conf.indexOf("location = /v0/events"));
        events = events.substring(0, events.indexOf('}'));
        assertTrue(events.contains("proxy_buffering off;"), events);
    }

    @Test
    void nginxAcceptsTheGatewayConfiguration() throws Exception {
        Path nginx = Path.of("/usr/sbin/nginx");
        assumeTrue(Files.isExecutable(nginx), "skipped: nginx (Debian package nginx) is not installed on this machine");
        Files.createDirectories(nginxPrefix.resolve("logs"));

        TestStacks.Result check = TestStacks.run(List.of(nginx.toString(), "-t", "-e", "stderr",
                "-p", nginxPrefix.toString(), "-c", REPO.resolve("deploy/nginx/nginx.conf").toString(),
                "-g", "pid " + nginxPrefix.resolve("nginx.pid") + ";"), "");

        assertEquals(0, check.exitCode(), check.output());
        assertTrue(check.output().contains("test is successful"), check.output());
    }

    private static JsonNode services() throws Exception {
        return services("docker-compose.yml");
    }

    private static JsonNode services(String file) throws Exception {
        // SnakeYAML resolves the file's anchors and << merge keys as compose does.
        Object compose = new Yaml().load(Files.readString(REPO.resolve(file)));
        return Json.MAPPER.valueToTree(compose).get("services");
    }
}
