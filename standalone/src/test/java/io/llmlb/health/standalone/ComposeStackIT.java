package io.llmlb.health.standalone;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.llmlb.health.wire.Json;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * docker-compose.yml, built and run for real: the offline kit builds the images, the stack starts
 * under its own project name on free loopback ports, and everything goes through the published
 * ports: the seed flow and live events through the gateway, a JWT of one query-api replica
 * accepted by the other with the same node list, Prometheus scraping every replica, and
 * {@code down} then {@code up} keeping nodes and tokens. It removes its containers, volumes,
 * network and image tags (not the kit's base and JRE layers, which are per-machine caches).
 * Skipped, with the reason, only where no Docker engine answers.
 */
class ComposeStackIT {

    private static final Path REPO = RepoPaths.root();
    /** Up to ready gateway took 78-90 s on a 2-core machine shared with other builds; 180 s at load 100. */
    private static final Duration STACK_START = Duration.ofMinutes(10);
    private static final Set<String> SCRAPE_JOBS = Set.of("llmlb-ingest", "llmlb-query-api", "llmlb-state-processor");

    @TempDir
    Path work;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void stackServesTheSeedThroughTheGatewayAndKeepsStateAcrossDownAndUp() throws Exception {
        assumeTrue(DockerTools.engineAnswers(), "skipped: no Docker engine answers `docker info` on this machine, "
                + "so the compose stack cannot run (CI starts one in .ci/run)");
        String project = "llmlbit" + HexFormat.of().formatHex(new SecureRandom().generateSeed(4));
        Path envFile = work.resolve("offline.env");
        Map<String, String> environment = DockerTools.stackEnvironment();
        int queryApi1 = EmbeddedKafkaBroker.freePort();
        int queryApi2 = EmbeddedKafkaBroker.freePort();
        Path replicaPorts = work.resolve("replica-ports.yml");
        // Test-only: each query-api replica on its own loopback port, to ask them one by one.
        Files.writeString(replicaPorts, """
                services:
                  query-api-1:
                    ports: ["127.0.0.1:%d:8080"]
                  query-api-2:
                    ports: ["127.0.0.1:%d:8080"]
                """.formatted(queryApi1, queryApi2));
        List<String> compose = DockerTools.concat(DockerTools.composeCommand(), "-p", project,
                "--env-file", envFile.toString(), "-f", REPO.resolve("docker-compose.yml").toString(),
                "-f", replicaPorts.toString());
        ApiClient gateway = new ApiClient(Integer.parseInt(environment.get("LLMLB_GATEWAY_PORT")));
        long started = System.nanoTime();
        try {
            DockerTools.buildOfflineImages(project, envFile);
            log("offline images built in %d s", secondsSince(started));

            long upAt = System.nanoTime();
            compose(compose, environment, "up", "-d");
            awaitReady(gateway);
            log("gateway ready %d s after `up`", secondsSince(upAt));

            // The seed flow, through the gateway.
            String jwt = gateway.adminJwt();
            ApiClient.Reply registered = gateway.register(jwt, "compose-node-1");
            assertEquals(201, registered.status(), registered.body());
            String nodeToken = registered.json().get("node_token").asText();
            ApiClient.Reply approved = gateway.admin(jwt, "POST", "/v0/nodes/compose-node-1/approve");
            assertEquals(200, approved.status(), approved.body());
            ApiClient.Reply beat = gateway.heartbeat(nodeToken, ApiClient.seedHeartbeat("compose-node-1"));
            assertEquals(200, beat.status(), beat.body());
            awaitOnline(gateway, jwt, "compose-node-1");

            readsEventsLiveThroughTheGateway(gateway, jwt);
            replicasShareJwtsAndNodes(new ApiClient(queryApi1), new ApiClient(queryApi2));
            prometheusScrapesEveryReplica(Integer.parseInt(environment.get("LLMLB_PROMETHEUS_PORT")));

            // down (containers and network gone, volumes kept), then up: nodes, tokens, JWTs survive.
            compose(compose, environment, "down");
            long againAt = System.nanoTime();
            compose(compose, environment, "up", "-d");
            awaitReady(gateway);
            log("gateway ready %d s after the second `up`", secondsSince(againAt));
            Awaitility.await("the node token of before `down` is accepted").atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofSeconds(1))
                    .until(() -> gateway.heartbeat(nodeToken, ApiClient.seedHeartbeat("compose-node-1")).status() == 200);
            JsonNode kept = gateway.node(jwt, "compose-node-1");
            assertNotNull(kept, "compose-node-1 is gone after down/up, or the JWT of before is refused");
            assertTrue(kept.get("heartbeats").asLong() >= 1, kept.toString());
            log("compose test took %d s in all", secondsSince(started));
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

    private void readsEventsLiveThroughTheGateway(ApiClient gateway, String jwt) throws Exception {
        List<String> lines = new CopyOnWriteArrayList<>();
        HttpRequest request = HttpRequest.newBuilder(URI.create(gateway.baseUrl() + "/v0/events"))
                .header("Authorization", "Bearer " + jwt).header("Accept", "text/event-stream").build();
        HttpResponse<Stream<String>> response = http.send(request, HttpResponse.BodyHandlers.ofLines());
        assertEquals(200, response.statusCode());
        Thread reader = Thread.ofVirtual().start(() -> {
            try (Stream<String> stream = response.body()) {
                stream.forEach(lines::add);
            } catch (RuntimeException closed) {
                // the stream ends when the test closes it
            }
        });
        try {
            Awaitility.await("the snapshot event").atMost(Duration.ofSeconds(10))
                    .until(() -> lines.contains("event:snapshot"));
            long registeredAt = System.nanoTime();
            assertEquals(201, gateway.register(jwt, "compose-sse-node").status());
            Awaitility.await("an event about compose-sse-node, unbuffered by nginx").atMost(Duration.ofSeconds(10))
                    .pollInterval(Duration.ofMillis(20))
                    .until(() -> lines.stream().anyMatch(line -> line.contains("\"compose-sse-node\"")));
            log("event about a new node through the gateway after %d ms", (System.nanoTime() - registeredAt) / 1_000_000);
        } finally {
            response.body().close();
            reader.interrupt();
        }
    }

    private static void replicasShareJwtsAndNodes(ApiClient first, ApiClient second) {
        String jwtOfFirst = first.adminJwt();
        String jwtOfSecond = second.adminJwt();
        assertEquals(200, second.nodes(jwtOfFirst).status(), "a JWT of query-api-1 is refused by query-api-2");
        assertEquals(200, first.nodes(jwtOfSecond).status(), "a JWT of query-api-2 is refused by query-api-1");
        Awaitility.await("both replicas list the same nodes").atMost(Duration.ofSeconds(30))
                .until(() -> nodeIds(first, jwtOfFirst).equals(nodeIds(second, jwtOfFirst))
                        && nodeIds(first, jwtOfFirst).containsAll(Set.of("compose-node-1", "compose-sse-node")));
    }

    private void prometheusScrapesEveryReplica(int port) {
        // Two replicas of each service, found through Docker DNS, every one up.
        Awaitility.await("Prometheus reports up == 1 for two targets of each service").atMost(Duration.ofSeconds(90))
                .pollInterval(Duration.ofSeconds(2)).ignoreExceptions()
                .untilAsserted(() -> {
                    JsonNode result = getJson("http://127.0.0.1:" + port + "/api/v1/query?query=up").get("data").get("result");
                    Map<String, Integer> upTargetsByJob = new HashMap<>();
                    for (JsonNode series : result) {
                        if ("1".equals(series.get("value").get(1).asText())) {
                            upTargetsByJob.merge(series.get("metric").get("job").asText(), 1, Integer::sum);
                        }
                    }
                    assertEquals(result.size(), upTargetsByJob.values().stream().mapToInt(Integer::intValue).sum(),
                            "a target is down: " + result);
                    for (String job : SCRAPE_JOBS) {
                        assertEquals(2, upTargetsByJob.getOrDefault(job, 0), job + " in " + result);
                    }
                });
    }

    private JsonNode getJson(String url) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), response.body());
        return Json.MAPPER.readTree(response.body());
    }

    private static Set<String> nodeIds(ApiClient api, String jwt) {
        Set<String> ids = new TreeSet<>();
        ApiClient.Reply reply = api.nodes(jwt);
        assertEquals(200, reply.status(), reply.body());
        reply.json().get("nodes").forEach(node -> ids.add(node.get("id").asText()));
        return ids;
    }

    private static void awaitReady(ApiClient gateway) {
        Awaitility.await("the gateway answers /health/ready").atMost(STACK_START).pollInterval(Duration.ofSeconds(1))
                .ignoreExceptions()
                .until(() -> gateway.send("GET", "/health/ready", Map.of(), null).status() == 200);
    }

    private static void awaitOnline(ApiClient gateway, String jwt, String nodeId) {
        // The gateway is ready once one ingest and one query-api are; the two state-processors may
        // still be joining their group (a clean-clone CI run took over 30 s), so the first verdict waits.
        Awaitility.await(nodeId + " online in GET /v0/nodes").atMost(Duration.ofSeconds(120))
                .until(() -> {
                    JsonNode node = gateway.node(jwt, nodeId);
                    return node != null && "online".equals(node.get("state").asText());
                });
    }


    private static void compose(List<String> compose, Map<String, String> environment, String... command) {
        DockerTools.composeOrFail(compose, environment, STACK_START, command);
    }

    private static long secondsSince(long nanoTime) {
        return Duration.ofNanos(System.nanoTime() - nanoTime).toSeconds();
    }

    private static void log(String format, Object... args) {
        System.out.println("ComposeStackIT: " + format.formatted(args));
    }
}
