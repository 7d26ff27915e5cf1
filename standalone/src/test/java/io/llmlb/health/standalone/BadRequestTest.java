package io.llmlb.health.standalone;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.llmlb.health.wire.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bad requests end to end, over real HTTP against one running stack with a real broker: one of
 * each kind (a bad heartbeat field, an oversized body, a wrong content type, an unknown token, a
 * bad login, a bad registration, an unknown node, an unknown path, a request Helidon refuses
 * before routing) gets its 4xx and a JSON body {@code {"error", "field"}}, never a 5xx or a stack
 * trace, and a good heartbeat right after still works; at the end exactly the good heartbeats
 * reached the pipeline. Every other variant is tested without Kafka in the services' own modules
 * (ingest HeartbeatServiceHttpTest; query-api NodesServiceHttpTest and AuthServiceHttpTest). One
 * test, so nothing depends on test order.
 */
class BadRequestTest {

    private static final String NODE = "bad-request-node";
    private static final Duration PATIENCE = Duration.ofSeconds(30);

    @TempDir
    Path dataDir;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private ApiClient api;
    private String adminJwt;
    private String nodeToken;
    private int goodHeartbeats;

    /** Who a request claims to be. */
    enum Auth { NONE, NODE_TOKEN, ADMIN_JWT }

    /** One bad request and what it must get back; {@code field} null when the error must name none. */
    record Bad(String name, String method, String path, Auth auth, String contentType, String body, int status,
               String error, String field) {
    }

    @Test
    void badRequestsGetA4xxJsonErrorAndOnlyGoodHeartbeatsReachThePipeline() throws Exception {
        // Long timeout: the node must stay online for the whole run, so its heartbeat count is exact.
        try (var standalone = TestStacks.start(TestStacks.environment(dataDir), Duration.ofMinutes(5),
                Duration.ofSeconds(1))) {
            api = new ApiClient(standalone.port());
            adminJwt = api.adminJwt();
            ApiClient.Reply registered = api.register(adminJwt, NODE);
            assertEquals(201, registered.status(), registered.body());
            nodeToken = registered.json().get("node_token").asText();
            assertEquals(200, api.admin(adminJwt, "POST", "/v0/nodes/" + NODE + "/approve").status());
            goodHeartbeatSucceeds();

            for (Bad bad : badRequests()) {
                assertJsonError(bad, send(bad));
                goodHeartbeatSucceeds();
            }
            refusedBeforeRoutingWithAJsonError(standalone.port());
            goodHeartbeatSucceeds();

            // Every bad heartbeat was refused before Kafka: the node counted exactly the good ones.
            await().atMost(PATIENCE).untilAsserted(() -> {
                JsonNode node = api.node(adminJwt, NODE);
                assertNotNull(node);
                assertEquals(goodHeartbeats, node.get("heartbeats").asInt());
                assertEquals("online", node.get("state").asText());
            });
            // Nothing that the registration refused was registered.
            ApiClient.Reply nodes = api.nodes(adminJwt);
            assertEquals(1, nodes.json().get("nodes").size(), nodes.body());
        }
    }

    private static List<Bad> badRequests() {
        String tooLarge = "{\"node_id\":\"" + NODE + "\",\"pad\":\"" + "x".repeat(70 * 1024) + "\"}";
        String json = "application/json";
        return List.of(
                new Bad("heartbeat: usage over 100", "POST", "/v0/health", Auth.NODE_TOKEN, json,
                        "{\"node_id\": \"" + NODE + "\", \"gpu_metrics\": {\"usage\": 100.5}}", 400, "between 0 and 100",
                        "gpu_metrics.usage"),
                new Bad("heartbeat: malformed JSON", "POST", "/v0/health", Auth.NODE_TOKEN, json,
                        "{\"node_id\": \"" + NODE + "\",", 400, "malformed JSON", null),
                new Bad("heartbeat: body over 64 KiB", "POST", "/v0/health", Auth.NODE_TOKEN, json, tooLarge, 413,
                        "larger than 65536 bytes", null),
                new Bad("heartbeat: text/plain", "POST", "/v0/health", Auth.NODE_TOKEN, "text/plain",
                        "{\"node_id\": \"" + NODE + "\"}", 415, "Content-Type must be application/json", null),
                new Bad("heartbeat: no node token", "POST", "/v0/health", Auth.NONE, json,
                        "{\"node_id\": \"" + NODE + "\"}", 401, "X-Node-Token header is required", null),
                new Bad("login: username missing", "POST", "/v0/auth/login", Auth.NONE, json,
                        "{\"password\": \"test\"}", 400, "username is required", "username"),
                new Bad("register: node_id a path trick", "POST", "/v0/nodes", Auth.ADMIN_JWT, json,
                        "{\"node_id\": \"../x\"}", 400, "must match", "node_id"),
                new Bad("approve an unknown node", "POST", "/v0/nodes/no-such-node/approve", Auth.ADMIN_JWT, null, null,
                        404, "not registered", null),
                new Bad("unknown path", "GET", "/v0/no-such-thing", Auth.NONE, null, null, 404,
                        "no endpoint GET /v0/no-such-thing", null));
    }

    private static void assertJsonError(Bad bad, HttpResponse<String> response) {
        String context = bad.name() + ": " + response.body();
        assertEquals(bad.status(), response.statusCode(), context);
        assertEquals("application/json", response.headers().firstValue("Content-Type").orElse(null), context);
        JsonNode error = parse(response.body());
        assertNotNull(error, "the body is JSON: " + context);
        assertTrue(error.path("error").asText("").contains(bad.error()), "error should contain '" + bad.error()
                + "': " + context);
        if (bad.field() == null) {
            assertFalse(error.has("field"), context);
        } else {
            assertEquals(bad.field(), error.path("field").asText(null), context);
        }
        assertFalse(response.body().contains("Exception") || response.body().contains("\tat "), "no stack trace: " + context);
        if (response.statusCode() == 401) {
            assertTrue(response.headers().firstValue("WWW-Authenticate").isPresent(), "401 says how to authenticate");
        }
    }

    private static void refusedBeforeRoutingWithAJsonError(int port) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write("GARBAGE\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
            socket.getOutputStream().flush();
            String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);

            assertTrue(answer.startsWith("HTTP/1.1 4"), "garbage request line: " + answer);
            assertTrue(answer.toLowerCase(Locale.ROOT).contains("content-type: application/json"), answer);
            assertTrue(Json.MAPPER.readTree(answer.substring(answer.indexOf("\r\n\r\n") + 4)).hasNonNull("error"), answer);
        }
    }

    private void goodHeartbeatSucceeds() {
        ApiClient.Reply good = api.heartbeat(nodeToken, ApiClient.seedHeartbeat(NODE));
        assertEquals(200, good.status(), "a good heartbeat right after: " + good.body());
        assertEquals("ok", good.json().get("status").asText());
        goodHeartbeats++;
    }

    private HttpResponse<String> send(Bad bad) {
        Map<String, String> headers = new LinkedHashMap<>();
        switch (bad.auth()) {
            case NODE_TOKEN -> headers.put("X-Node-Token", nodeToken);
            case ADMIN_JWT -> headers.put("Authorization", "Bearer " + adminJwt);
            case NONE -> { }
        }
        if (bad.contentType() != null) {
            headers.put("Content-Type", bad.contentType());
        }
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(api.baseUrl() + bad.path()))
                .timeout(Duration.ofSeconds(30))
                .method(bad.method(), bad.body() == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(bad.body()));
        headers.forEach(request::header);
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static JsonNode parse(String body) {
        try {
            return Json.MAPPER.readTree(body);
        } catch (IOException notJson) {
            return null;
        }
    }
}
