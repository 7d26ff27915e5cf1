package io.llmlb.health.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import io.llmlb.health.agent.HeartbeatClient.Answer;
import io.llmlb.health.agent.HeartbeatClient.Verdict;
import io.llmlb.health.wire.Json;
import io.llmlb.health.wire.SystemMetrics;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The shared heartbeat sender: the seed's JSON, the token header, and how answers are read. */
class HeartbeatClientTest {

    /** The heartbeat of the seed quickstart's curl example. */
    private static final String SEED_HEARTBEAT = """
            {"node_id":"node-1","gpu_metrics":{"usage":45.5,"vram_usage":78.2,"temperature":65.0},
             "system_metrics":{"cpu_usage":30.0,"memory_usage":50.0},"active_requests":2,
             "loaded_models":["llama-3.2-1b"]}""";

    private HttpServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop(0);
        }
    }

    @Test
    void seedExampleIsTheSeedsHeartbeatJson() throws IOException {
        assertEquals(Json.MAPPER.readTree(SEED_HEARTBEAT),
                Json.MAPPER.readTree(HeartbeatClient.json(HeartbeatClient.seedExample("node-1"))));
    }

    @Test
    void absentFiguresAreLeftOutNotSentAsNull() throws IOException {
        HeartbeatBody cpuNode = new HeartbeatBody("cpu-node", null, new SystemMetrics(1.0, null), null, null);
        assertEquals(Json.MAPPER.readTree("{\"node_id\":\"cpu-node\",\"system_metrics\":{\"cpu_usage\":1.0}}"),
                Json.MAPPER.readTree(HeartbeatClient.json(cpuNode)));
    }

    @Test
    void declaredIntervalIsSentAsHeartbeatIntervalSecs() throws IOException {
        HeartbeatBody paced = new HeartbeatBody("cpu-node", null, null, null, null, 45);
        assertEquals(Json.MAPPER.readTree("{\"node_id\":\"cpu-node\",\"heartbeat_interval_secs\":45}"),
                Json.MAPPER.readTree(HeartbeatClient.json(paced)));
    }

    @Test
    void statusesReadAsTheSeedsContract() {
        assertEquals(Verdict.ACCEPTED, new Answer(200, "", null).verdict());
        assertEquals(Verdict.BUSY, new Answer(503, "", Duration.ofSeconds(5)).verdict());
        assertEquals(Verdict.BUSY, new Answer(429, "", null).verdict());
        assertEquals(Verdict.REFUSED, new Answer(400, "", null).verdict());
        assertEquals(Verdict.REFUSED, new Answer(401, "", null).verdict());
        assertEquals(Verdict.REFUSED, new Answer(403, "", null).verdict());
        assertEquals(Verdict.SERVER_ERROR, new Answer(500, "", null).verdict());
        assertEquals(Verdict.SERVER_ERROR, new Answer(502, "", null).verdict());
        assertEquals("missing field", new Answer(400, "{\"error\":\"missing field\",\"field\":\"node_id\"}", null).error());
    }

    @Test
    void sendsTheTokenAndReadsRetryAfter() throws Exception {
        AtomicReference<String> token = new AtomicReference<>();
        AtomicReference<JsonNode> body = new AtomicReference<>();
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext(HeartbeatClient.PATH, exchange -> {
            token.set(exchange.getRequestHeaders().getFirst(HeartbeatClient.TOKEN_HEADER));
            body.set(Json.MAPPER.readTree(exchange.getRequestBody().readAllBytes()));
            byte[] answer = "{\"error\":\"kafka unavailable\"}".getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Retry-After", "7");
            exchange.sendResponseHeaders(503, answer.length);
            exchange.getResponseBody().write(answer);
            exchange.close();
        });
        server.start();
        HeartbeatClient client = new HeartbeatClient(
                URI.create("http://127.0.0.1:" + server.getAddress().getPort()), Duration.ofSeconds(5));

        Answer answer = client.send("token-1", HeartbeatClient.seedExample("node-1"));

        assertEquals("token-1", token.get());
        assertEquals("node-1", body.get().path("node_id").asText());
        assertEquals(Verdict.BUSY, answer.verdict());
        assertFalse(answer.ok());
        assertEquals(Duration.ofSeconds(7), answer.retryAfter());
        assertEquals("kafka unavailable", answer.error());
        assertNull(answer.field("node_id"));
    }
}
