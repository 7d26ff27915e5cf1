package io.llmlb.health.standalone;

import static org.awaitility.Awaitility.await;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.llmlb.health.wire.Json;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * /metrics as operators meet it: the seed's lines after known traffic, accepted by promtool,
 * scraped by a real Prometheus server, and every name the alert rules and the Grafana dashboard
 * use present on it.
 */
class MetricsPrometheusTest {

    private static final Path REPO = RepoPaths.root();
    private static final Duration PATIENCE = Duration.ofSeconds(30);

    @TempDir
    static Path dataDir;

    private static Standalone standalone;
    private static ApiClient api;
    private static String jwt;

    @BeforeAll
    static void start() throws InterruptedException {
        Map<String, String> env = TestStacks.environment(dataDir);
        // A node flips online-offline-online in a few seconds here; two flips make it flapping.
        env.put("LLMLB_FLAP_THRESHOLD", "1");
        standalone = TestStacks.start(env, Duration.ofSeconds(2), Duration.ofMillis(250));
        api = new ApiClient(standalone.port());
        jwt = api.adminJwt();
    }

    @AfterAll
    static void stop() {
        if (standalone != null) {
            standalone.close();
        }
    }

    @Test
    void seedMetricLinesAfterKnownTraffic() {
        // Given: an online node with 3 heartbeats, a pending node, and a node that timed out.
        String onlineToken = registerApproved("m-online");
        for (int i = 0; i < 3; i++) {
            assertEquals(200, api.heartbeat(onlineToken, ApiClient.seedHeartbeat("m-online")).status());
        }
        assertEquals(201, api.register(jwt, "m-pending").status());
        String flakyToken = registerApproved("m-flaky");
        assertEquals(200, api.heartbeat(flakyToken, ApiClient.seedHeartbeat("m-flaky")).status());

        // Then: the seed's lines, with the materialised values.
        await().atMost(PATIENCE).untilAsserted(() -> {
            String text = seedGrep();
            assertThat(text, containsString("llm_router_heartbeats_received_total{node_id=\"m-online\"} 3.0"));
            assertThat(text, containsString("llm_router_node_state{node_id=\"m-pending\",state=\"pending\"} 1.0"));
            assertThat(text, containsString("llm_router_node_timeouts_total{node_id=\"m-flaky\"} 1.0"));
            assertThat(text, containsString("llm_router_node_state{node_id=\"m-flaky\",state=\"offline\"} 1.0"));
            assertThat(text, not(containsString("llm_router_node_state{node_id=\"m-flaky\",state=\"online\"}")));
        });
        String all = metrics();
        assertThat(all, containsString("llm_router_ingest_requests_seconds_count{status=\"200\"}"));
        assertThat(all, containsString("llm_router_detection_lag_seconds_count"));
        assertThat(all, containsString("llm_router_detector_suspended 0.0"));
        assertThat(all, containsString("llm_router_detector_sweep_seconds_bucket{le="));
        assertThat(all, containsString("jvm_memory_used_bytes"));
        assertThat(all, containsString("kafka_stream"));
    }

    @Test
    void readmesNarrowGrepShowsExactlyTheSeedsThreeSeriesOfANode() throws IOException {
        String token = registerApproved("m-readme");
        assertEquals(200, api.heartbeat(token, ApiClient.seedHeartbeat("m-readme")).status());
        String readme = Files.readString(REPO.resolve("README.md"));
        Matcher command = Pattern.compile("grep -E '(\\^llm_router_[^']+)'").matcher(readme);
        assertTrue(command.find(), "the README's narrow grep");
        Pattern narrow = Pattern.compile(command.group(1));

        await().atMost(PATIENCE).untilAsserted(() -> {
            List<String> lines = metrics().lines().filter(line -> narrow.matcher(line).find())
                    .filter(line -> line.contains("\"m-readme\"")).toList();
            assertEquals(List.of("llm_router_heartbeats_received_total{node_id=\"m-readme\"} 1.0",
                    "llm_router_node_state{node_id=\"m-readme\",state=\"online\"} 1.0",
                    "llm_router_node_timeouts_total{node_id=\"m-readme\"} 0.0"), lines);
            // and the seed's own grep matches more than those: the README says so
            assertTrue(seedGrep().lines().count() > 3);
        });
    }

    @Test
    void promtoolAcceptsTheLiveMetrics() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/promtool")), "skipped: promtool (Debian package prometheus) is not installed");
        registerApproved("m-promtool");

        TestStacks.Result result = TestStacks.run(List.of("/usr/bin/promtool", "check", "metrics"), metrics());

        assertEquals(0, result.exitCode(), result.output());
    }

    @Test
    void alertRulesPassPromtoolCheckAndUnitTests() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/promtool")), "skipped: promtool (Debian package prometheus) is not installed");
        Path rules = REPO.resolve("deploy/prometheus");

        TestStacks.Result check = TestStacks.run(List.of("/usr/bin/promtool", "check", "rules", rules.resolve("alerts.yml").toString()), "");
        TestStacks.Result unit = TestStacks.run(List.of("/usr/bin/promtool", "test", "rules", rules.resolve("alerts.test.yml").toString()), "");
        TestStacks.Result compose = TestStacks.run(List.of("/usr/bin/promtool", "check", "config",
                rules.resolve("prometheus-compose.yml").toString()), "");

        assertEquals(0, check.exitCode(), check.output());
        assertThat(check.output(), containsString("SUCCESS: 9 rules found"));
        assertEquals(0, unit.exitCode(), unit.output());
        assertEquals(0, compose.exitCode(), compose.output());
    }

    @Test
    void grafanaDashboardAsksForItsDataSourceWhenImported() throws IOException {
        JsonNode dashboard = io.llmlb.health.wire.Json.MAPPER.readTree(
                Files.readString(REPO.resolve("deploy/grafana/llmlb-health.json")));

        JsonNode input = dashboard.path("__inputs").path(0);
        assertEquals("DS_PROMETHEUS", input.path("name").asText(), "the import dialog offers a data-source picker");
        assertEquals("prometheus", input.path("pluginId").asText());
        JsonNode variable = dashboard.path("templating").path("list").path(0);
        assertEquals("${DS_PROMETHEUS}", variable.path("current").path("value").asText(),
                "the panels' ${datasource} starts as the one picked on import");
        for (JsonNode panel : dashboard.path("panels")) {
            assertEquals("${datasource}", panel.path("datasource").path("uid").asText(), panel.path("title").asText());
        }
    }

    @Test
    void everyGrafanaQueryIsValidPromQl(@TempDir Path rulesDir) throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/promtool")), "skipped: promtool (Debian package prometheus) is not installed");
        // promtool parses expressions only inside rules: each panel query becomes a recording rule.
        JsonNode dashboard = Json.MAPPER.readTree(REPO.resolve("deploy/grafana/llmlb-health.json").toFile());
        StringBuilder rules = new StringBuilder("groups:\n  - name: grafana-panels\n    rules:\n");
        int queries = 0;
        for (JsonNode panel : dashboard.get("panels")) {
            for (JsonNode target : panel.path("targets")) {
                rules.append("      - record: panel:query_").append(++queries).append("\n        expr: ")
                        .append(Json.MAPPER.writeValueAsString(target.get("expr").asText())).append('\n');
            }
        }
        Files.writeString(rulesDir.resolve("panels.yml"), rules);

        TestStacks.Result check = TestStacks.run(List.of("/usr/bin/promtool", "check", "rules",
                rulesDir.resolve("panels.yml").toString()), "");

        assertEquals(0, check.exitCode(), check.output() + "\n" + rules);
        assertThat(check.output(), containsString("SUCCESS: " + queries + " rules found"));
    }

    @Test
    void everyMetricTheRulesAndDashboardUseExists() throws IOException {
        Set<String> used = new TreeSet<>();
        used.addAll(metricNames(Files.readString(REPO.resolve("deploy/prometheus/alerts.yml"))));
        used.addAll(metricNames(Files.readString(REPO.resolve("deploy/grafana/llmlb-health.json"))));
        // An online node that sent the seed's figures, so the per-node figure series exist too.
        String token = registerApproved("m-names");
        assertEquals(200, api.heartbeat(token, ApiClient.seedHeartbeat("m-names")).status());
        await().atMost(PATIENCE).until(() -> metrics().contains("llm_router_node_gpu_usage_percent{node_id=\"m-names\"}"));
        // In maintenance, so the series the alert rules exclude such nodes by exists too.
        assertEquals(200, api.admin(jwt, "POST", "/v0/nodes/m-names/maintenance").status());
        await().atMost(PATIENCE).until(() -> metrics().contains("llm_router_node_maintenance{node_id=\"m-names\"}"));
        // Declaring an interval longer than half the timeout (2 s here) marks the node.
        assertEquals(200, api.heartbeat(token, ApiClient.seedHeartbeat("m-names")
                .replaceFirst("\\{", "{\"heartbeat_interval_secs\": 60,")).status());
        // Online, offline by timeout, online again: two flips, more than this class's LLMLB_FLAP_THRESHOLD of 1.
        String flapping = registerApproved("m-flaps");
        assertEquals(200, api.heartbeat(flapping, ApiClient.seedHeartbeat("m-flaps")).status());
        await().atMost(PATIENCE).until(() -> metrics().contains("llm_router_node_state{node_id=\"m-flaps\",state=\"offline\"} 1"));
        assertEquals(200, api.heartbeat(flapping, ApiClient.seedHeartbeat("m-flaps")).status());
        await().atMost(PATIENCE).until(() -> metrics().contains("llm_router_node_flapping{node_id=\"m-flaps\"}")
                && metrics().contains("llm_router_node_interval_exceeds_timeout{node_id=\"m-names\"}"));
        String exposed = metrics();

        assertTrue(used.size() >= 7, "names found: " + used);
        for (String name : used) {
            assertTrue(Pattern.compile("(?m)^" + name + "[{ ]").matcher(exposed).find(), name + " is not on /metrics");
        }
    }

    @Test
    void realPrometheusScrapesNodeState(@TempDir Path prometheusDir) throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/prometheus")), "skipped: prometheus (Debian package) is not installed");
        String token = registerApproved("m-scraped");
        int prometheusPort = EmbeddedKafkaBroker.freePort();
        Files.writeString(prometheusDir.resolve("prometheus.yml"), """
                global:
                  scrape_interval: 1s
                scrape_configs:
                  - job_name: llmlb-health
                    static_configs:
                      - targets: ["127.0.0.1:%d"]
                """.formatted(standalone.port()));
        Process prometheus = new ProcessBuilder("/usr/bin/prometheus",
                "--config.file=" + prometheusDir.resolve("prometheus.yml"),
                "--storage.tsdb.path=" + prometheusDir.resolve("tsdb"),
                "--web.listen-address=127.0.0.1:" + prometheusPort)
                .redirectErrorStream(true)
                .redirectOutput(prometheusDir.resolve("prometheus.log").toFile())
                .start();
        try {
            ApiClient prometheusApi = new ApiClient(prometheusPort);
            String query = URLEncoder.encode("llm_router_node_state{node_id=\"m-scraped\"}", StandardCharsets.UTF_8);
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).ignoreExceptions().untilAsserted(() -> {
                // Keep the node alive while Prometheus scrapes (the test timeout is short).
                assertEquals(200, api.heartbeat(token, ApiClient.seedHeartbeat("m-scraped")).status());
                JsonNode answer = prometheusApi.send("GET", "/api/v1/query?query=" + query, Map.of(), null).json();
                JsonNode results = answer.get("data").get("result");
                assertEquals(1, results.size(), answer.toString());
                assertEquals("online", results.get(0).get("metric").get("state").asText());
                assertEquals("1", results.get(0).get("value").get(1).asText());
            });
            // The node's latest figures, as the Grafana panels query them.
            String gpu = URLEncoder.encode("max by (node_id) (llm_router_node_gpu_usage_percent{node_id=\"m-scraped\"})",
                    StandardCharsets.UTF_8);
            String models = URLEncoder.encode("count by (model) (llm_router_node_model_info{node_id=\"m-scraped\"})",
                    StandardCharsets.UTF_8);
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).ignoreExceptions().untilAsserted(() -> {
                assertEquals(200, api.heartbeat(token, ApiClient.seedHeartbeat("m-scraped")).status());
                JsonNode usage = prometheusApi.send("GET", "/api/v1/query?query=" + gpu, Map.of(), null).json()
                        .get("data").get("result");
                JsonNode loaded = prometheusApi.send("GET", "/api/v1/query?query=" + models, Map.of(), null).json()
                        .get("data").get("result");
                assertEquals("45.5", usage.get(0).get("value").get(1).asText(), usage.toString());
                assertEquals("llama-3.2-1b", loaded.get(0).get("metric").get("model").asText(), loaded.toString());
            });
        } finally {
            prometheus.destroy();
            prometheus.waitFor(10, TimeUnit.SECONDS);
        }
    }

    private static String registerApproved(String nodeId) {
        ApiClient.Reply registered = api.register(jwt, nodeId);
        assertEquals(201, registered.status(), registered.body());
        assertEquals(200, api.admin(jwt, "POST", "/v0/nodes/" + nodeId + "/approve").status());
        return registered.json().get("node_token").asText();
    }

    private static String metrics() {
        ApiClient.Reply reply = api.send("GET", "/metrics", Map.of(), null);
        assertEquals(200, reply.status());
        return reply.body();
    }

    /** What {@code curl …/metrics | grep -E "(heartbeat|node_state|timeout)"} prints. */
    private static String seedGrep() {
        return String.join("\n", metrics().lines().filter(line -> line.matches(".*(heartbeat|node_state|timeout).*")).toList());
    }

    private static Set<String> metricNames(String text) {
        Set<String> names = new TreeSet<>();
        Matcher matcher = Pattern.compile("llm_router_[a-z_]+").matcher(text);
        while (matcher.find()) {
            names.add(matcher.group());
        }
        return names;
    }


    static {
        // Prometheus answers with JSON; make sure the shared mapper is loaded before the first poll.
        Json.MAPPER.getClass();
    }
}
