package io.llmlb.health.standalone;

import static org.awaitility.Awaitility.await;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.llmlb.health.wire.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The seed document is the contract: its curl commands and Python snippets, taken verbatim from
 * docs/seed/quickstart.ja.md, run against the real pipeline with only the placeholders (URL,
 * node token, JWT) filled in.
 */
class SeedContractTest {

    private static final Path SEED = RepoPaths.root()
            .resolve("docs/seed/quickstart.ja.md");
    private static final Path PYTHON = Path.of("/usr/bin/python3");
    private static final Duration PATIENCE = Duration.ofSeconds(30);

    @TempDir
    static Path dataDir;

    private static Standalone standalone;
    private static ApiClient api;
    private static String jwt;
    private static String nodeToken;

    @BeforeAll
    static void start() throws InterruptedException {
        // A 5 s timeout: the seed's snippets run as separate processes (bash, python with httpx),
        // and a node that beat once must still be online when the next one looks, on a loaded
        // machine too; ingest ticks every 125 ms here, so the timeout is all the slack there is.
        standalone = TestStacks.start(TestStacks.environment(dataDir), Duration.ofSeconds(5), Duration.ofMillis(250));
        api = new ApiClient(standalone.port());
        jwt = api.adminJwt();
        nodeToken = api.register(jwt, "node-1").json().get("node_token").asText();
        assertEquals(200, api.admin(jwt, "POST", "/v0/nodes/node-1/approve").status());
    }

    @AfterAll
    static void stop() {
        if (standalone != null) {
            standalone.close();
        }
    }

    @Test
    void seedCurlCommandsGiveTheSeedShapes() throws Exception {
        List<String> blocks = codeBlocks("bash").stream().filter(block -> block.contains("curl")
                && !block.contains("xllm") && !block.contains("sleep")).toList();
        assertEquals(4, blocks.size(), "the seed's plain curl blocks: nodes, heartbeat, metrics, troubleshooting");

        String heartbeat = runBash(blocks.get(1));
        JsonNode ok = Json.MAPPER.readTree(heartbeat);
        assertEquals("ok", ok.get("status").asText());
        assertTrue(ok.get("server_time").isIntegralNumber());

        // The view may not hold the node yet on the first polls: an empty list is retried too.
        // Each poll beats first, so the node is online whenever the view catches up.
        await().atMost(PATIENCE).ignoreExceptions().untilAsserted(() -> {
            runBash(blocks.get(1));
            JsonNode nodes = Json.MAPPER.readTree(runBash(blocks.get(0))).get("nodes");
            assertEquals("node-1", nodes.get(0).get("id").asText());
            assertEquals("online", nodes.get(0).get("state").asText());
            assertTrue(nodes.get(0).get("last_seen").asText().matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ"));
        });
        await().atMost(PATIENCE).untilAsserted(() -> {
            runBash(blocks.get(1));
            String metrics = runBash(blocks.get(2));
            assertThat(metrics, containsString("llm_router_heartbeats_received_total{node_id=\"node-1\"}"));
            assertThat(metrics, containsString("llm_router_node_state{node_id=\"node-1\",state=\"online\"} 1"));
            assertThat(metrics, containsString("llm_router_node_timeouts_total{node_id=\"node-1\"}"));
        });
        assertThat(runBash(blocks.get(3)), containsString("llm_router_heartbeats_received_total{node_id=\"node-1\"}"));
    }

    @Test
    void seedPythonSnippetsWorkAsWritten() throws Exception {
        assumeTrue(Files.isExecutable(PYTHON) && TestStacks.run(List.of(PYTHON.toString(), "-c", "import httpx"), "").exitCode() == 0,
                "skipped: /usr/bin/python3 with httpx (Debian package python3-httpx) is not installed");
        List<String> snippets = codeBlocks("python");
        assertEquals(3, snippets.size(), "the seed has three Python snippets");
        String token = api.register(jwt, "py-node").json().get("node_token").asText();
        assertEquals(200, api.admin(jwt, "POST", "/v0/nodes/py-node/approve").status());

        // HeartbeatSender: the seed's class, used as its own send_heartbeat() does.
        String sender = python(snippets.get(0).replace("your-node-token", token).replace("\"node-1\"", "\"py-node\"")
                + "\nprint(sender.send_heartbeat(sender._collect_metrics()))\n");
        assertThat(sender, containsString("'status': 'ok'"));

        // monitor_health: one round of its loop (its sleep ends the script).
        String monitor = python("import time\ntime.sleep = lambda s: end()\n"
                + snippets.get(1) + "\nmonitor_health(\"" + jwt + "\")\n");
        assertThat(monitor, containsString("py-node: online"));

        // check_node_health: a node that went silent is reported.
        api.register(jwt, "py-silent");
        assertEquals(200, api.admin(jwt, "POST", "/v0/nodes/py-silent/approve").status());
        await().atMost(PATIENCE).until(() -> "offline".equals(PipelineScenario.state(api, jwt, "py-silent")));
        String alerts = python(snippets.get(2).replace("your-jwt-token", jwt));
        assertThat(alerts, containsString("Node py-silent is offline"));
    }

    private static String runBash(String block) throws IOException, InterruptedException {
        String script = block.replace("http://localhost:8080", "http://127.0.0.1:" + standalone.port())
                .replace("<node-token>", nodeToken)
                .replace("<jwt_token>", jwt)
                .replace("curl ", "curl -s ");
        TestStacks.Result result = TestStacks.run(List.of("bash", "-c", script), "");
        assertEquals(0, result.exitCode(), result.output());
        return result.output();
    }

    /**
     * Runs {@code code} with python3. The script ends through {@code end()}, which flushes and leaves
     * without the interpreter's shutdown: once (CI, 2026-12-02) that shutdown died of SIGSEGV (exit
     * 139) after the seed's snippet had printed its correct answer. A snippet that raises still
     * exits 1 and fails the test.
     */
    private static String python(String code) throws IOException, InterruptedException {
        String script = ("import os, sys\ndef end():\n    sys.stdout.flush()\n    sys.stderr.flush()\n    os._exit(0)\n"
                + code + "\nend()\n").replace("http://localhost:8080", "http://127.0.0.1:" + standalone.port());
        TestStacks.Result result = TestStacks.run(List.of(PYTHON.toString(), "-"), script);
        assertEquals(0, result.exitCode(), result.output());
        return result.output();
    }

    private static List<String> codeBlocks(String language) throws IOException {
        Matcher matcher = Pattern.compile("```" + language + "\\n(.*?)```", Pattern.DOTALL)
                .matcher(Files.readString(SEED));
        List<String> blocks = new ArrayList<>();
        while (matcher.find()) {
            blocks.add(matcher.group(1));
        }
        return blocks;
    }

}
