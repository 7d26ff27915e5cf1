package io.llmlb.health.agent;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.llmlb.health.wire.Json;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The agent against a scripted HTTP server: what it sends, how it retries, what it logs. */
class HeartbeatAgentRetryTest {

    /** One scripted answer: status and Retry-After seconds (0: none). */
    private record Scripted(int status, int retryAfter) {
    }

    /** One request the server saw. */
    private record Seen(long atNanos, String token, JsonNode body) {
    }

    @TempDir
    Path dir;

    private HttpServer server;
    private final List<Scripted> script = new CopyOnWriteArrayList<>();
    private final List<Seen> seen = new CopyOnWriteArrayList<>();
    private final AtomicInteger answered = new AtomicInteger();
    private final RecordingLog log = new RecordingLog();
    private HeartbeatAgent agent;

    @BeforeEach
    void startServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/v0/health", this::answer);
        server.start();
    }

    @AfterEach
    void stopAll() {
        if (agent != null) {
            agent.stop();
        }
        server.stop(0);
    }

    private void answer(HttpExchange exchange) throws IOException {
        seen.add(new Seen(System.nanoTime(), exchange.getRequestHeaders().getFirst("X-Node-Token"),
                Json.MAPPER.readTree(exchange.getRequestBody().readAllBytes())));
        int index = answered.getAndIncrement();
        Scripted next = index < script.size() ? script.get(index) : new Scripted(200, 0);
        if (next.retryAfter() > 0) {
            exchange.getResponseHeaders().add("Retry-After", String.valueOf(next.retryAfter()));
        }
        byte[] body = (next.status() == 200 ? "{\"status\":\"ok\",\"server_time\":1}"
                : "{\"error\":\"scripted " + next.status() + "\"}").getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(next.status(), body.length);
        exchange.getResponseBody().write(body);
        exchange.close();
    }

    private AgentConfig config(String nvidiaSmi, String activeRequestsCmd, String modelsCmd) throws IOException {
        Path proc = dir.resolve("proc");
        Files.createDirectories(proc);
        Files.writeString(proc.resolve("stat"), Fixtures.text("stat-1"));
        Files.writeString(proc.resolve("meminfo"), Fixtures.text("meminfo"));
        return new AgentConfig(URI.create("http://127.0.0.1:" + server.getAddress().getPort()), "token-1",
                dir.resolve("token"), Duration.ofMillis(300), "node-1", "host-1", Map.of(), null,
                activeRequestsCmd, modelsCmd, nvidiaSmi, proc, Duration.ofSeconds(5),
                Duration.ofMillis(20), Duration.ofMillis(100));
    }

    private void startAgent(AgentConfig config) {
        agent = new HeartbeatAgent(config, log, new SplittableRandom(1), Clock.systemUTC());
        agent.start();
    }

    @Test
    void heartbeatCarriesProcFiguresAndProbeOutputAndOmitsAbsentGpu() throws Exception {
        startAgent(config(null, "echo 3", "printf 'llama-3.2-1b\\nqwen2.5-7b\\n'"));

        await().atMost(Duration.ofSeconds(10)).until(() -> seen.size() >= 1);
        Seen first = seen.getFirst();

        assertEquals("token-1", first.token());
        assertEquals("node-1", first.body().get("node_id").asText());
        assertFalse(first.body().has("gpu_metrics"), "no GPU: the field is left out, not null: " + first.body());
        assertEquals(75.0, first.body().at("/system_metrics/memory_usage").asDouble());
        assertEquals(60.4, first.body().at("/system_metrics/cpu_usage").asDouble(), 0.05);
        assertEquals(3, first.body().get("active_requests").asInt());
        assertEquals(List.of("llama-3.2-1b", "qwen2.5-7b"),
                Json.MAPPER.convertValue(first.body().get("loaded_models"), List.class));
    }

    @Test
    void gpuFiguresComeFromNvidiaSmi() throws Exception {
        Path fakeSmi = dir.resolve("nvidia-smi");
        Files.writeString(fakeSmi, "#!/bin/sh\n"
                + "[ \"$1\" = \"--query-gpu=utilization.gpu,memory.used,memory.total,temperature.gpu\" ] || exit 9\n"
                + "[ \"$2\" = \"--format=csv,noheader,nounits\" ] || exit 9\n"
                + "printf '45, 8000, 16000, 65\\n55, 4000, 16000, 71\\n'\n");
        assertTrue(fakeSmi.toFile().setExecutable(true));
        startAgent(config(fakeSmi.toString(), null, null));

        await().atMost(Duration.ofSeconds(10)).until(() -> seen.size() >= 1);
        JsonNode gpu = seen.getFirst().body().get("gpu_metrics");

        assertEquals(50.0, gpu.get("usage").asDouble());
        assertEquals(37.5, gpu.get("vram_usage").asDouble());
        assertEquals(71.0, gpu.get("temperature").asDouble());
        assertFalse(seen.getFirst().body().has("active_requests"));
    }

    @Test
    void missingNvidiaSmiIsSaidOnceAndNotAskedAgain() throws Exception {
        startAgent(config(dir.resolve("no-such-nvidia-smi").toString(), null, null));

        await().atMost(Duration.ofSeconds(10)).until(() -> seen.size() >= 3);

        assertEquals(1, log.warnings.stream().filter(line -> line.startsWith("no nvidia-smi")).count(), log.warnings.toString());
        assertTrue(seen.stream().noneMatch(request -> request.body().has("gpu_metrics")));
    }

    @Test
    void failuresAreLoggedOncePerKindRetryAfterIsHonouredAndRecoveryIsLogged() throws Exception {
        script.addAll(List.of(new Scripted(500, 0), new Scripted(500, 0), new Scripted(500, 0),
                new Scripted(503, 1), new Scripted(503, 1)));
        startAgent(config(null, null, null));

        await().atMost(Duration.ofSeconds(15)).until(() -> agent.heartbeatsAcknowledged() >= 1);

        // three 500s, two 503s: one line per kind, one recovery line, nothing per attempt
        assertEquals(2, log.warnings.size(), log.warnings.toString());
        assertTrue(log.warnings.get(0).contains("server error 500"), log.warnings.get(0));
        assertTrue(log.warnings.get(1).contains("server busy (503"), log.warnings.get(1));
        assertTrue(log.infos.stream().anyMatch(line -> line.startsWith("heartbeats recovered after 5 failed attempts")),
                log.infos.toString());
        // after each 503 with Retry-After: 1 the agent waited at least a second
        for (int i = 4; i <= 5; i++) {
            long gapMillis = (seen.get(i).atNanos() - seen.get(i - 1).atNanos()) / 1_000_000;
            assertTrue(gapMillis >= 1_000, "retry " + i + " came after " + gapMillis + " ms");
        }
        // the 500s were retried on the fast backoff (ceiling 20, 40, 80 ms), not at the heartbeat interval
        long fastMillis = (seen.get(3).atNanos() - seen.get(0).atNanos()) / 1_000_000;
        assertTrue(fastMillis < 900, "three retries took " + fastMillis + " ms");
    }

    @Test
    void refusedHeartbeatIsNotHammered() throws Exception {
        script.addAll(List.of(new Scripted(400, 0), new Scripted(400, 0)));
        startAgent(config(null, null, null));

        await().atMost(Duration.ofSeconds(10)).until(() -> agent.heartbeatsAcknowledged() >= 1);

        long gapMillis = (seen.get(1).atNanos() - seen.get(0).atNanos()) / 1_000_000;
        assertTrue(gapMillis >= 300, "a 400 waits at least the heartbeat interval, waited " + gapMillis + " ms");
        assertEquals(1, log.warnings.size(), log.warnings.toString());
    }

    @Test
    void stopEndsSendingPromptly() throws Exception {
        startAgent(config(null, null, null));
        await().atMost(Duration.ofSeconds(10)).until(() -> seen.size() >= 2);

        long started = System.nanoTime();
        agent.stop();
        int countAtStop = seen.size();

        assertTrue((System.nanoTime() - started) / 1_000_000 < 2_000, "stop took too long");
        assertTrue(log.infos.getLast().contains("stopped"), log.infos.toString());
        // no further heartbeat after stop returned
        await().during(Duration.ofMillis(700)).atMost(Duration.ofSeconds(2)).until(() -> seen.size() == countAtStop);
    }
}
