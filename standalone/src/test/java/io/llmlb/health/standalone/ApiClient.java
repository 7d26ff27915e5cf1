package io.llmlb.health.standalone;

import com.fasterxml.jackson.databind.JsonNode;
import io.llmlb.health.wire.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

/** A small HTTP client for the seed's API, over real sockets. */
final class ApiClient {

    /** The seed's example heartbeat body, for {@code node_id}. */
    static String seedHeartbeat(String nodeId) {
        return """
                {
                  "node_id": "%s",
                  "gpu_metrics": {"usage": 45.5, "vram_usage": 78.2, "temperature": 65.0},
                  "system_metrics": {"cpu_usage": 30.0, "memory_usage": 50.0},
                  "active_requests": 2,
                  "loaded_models": ["llama-3.2-1b"]
                }""".formatted(nodeId);
    }

    /** A status and a parsed JSON body (null when the body is not JSON). */
    record Reply(int status, JsonNode json, String body, HttpResponse<String> raw) {
    }

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String baseUrl;

    ApiClient(int port) {
        this.baseUrl = "http://127.0.0.1:" + port;
    }

    String baseUrl() {
        return baseUrl;
    }

    Reply send(String method, String path, Map<String, String> headers, String body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + path))
                .timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        headers.forEach(request::header);
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            JsonNode json = null;
            try {
                json = response.body().isEmpty() ? null : Json.MAPPER.readTree(response.body());
            } catch (IOException notJson) {
                // left null: callers assert on it
            }
            return new Reply(response.statusCode(), json, response.body(), response);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    Reply login(String username, String password) {
        return send("POST", "/v0/auth/login", Map.of("Content-Type", "application/json"),
                "{\"username\":\"" + username + "\",\"password\":\"" + password + "\"}");
    }

    /** A JWT for admin/test. */
    String adminJwt() {
        Reply reply = login("admin", "test");
        if (reply.status() != 200) {
            throw new IllegalStateException("admin login failed: " + reply.status() + " " + reply.body());
        }
        return reply.json().get("token").asText();
    }

    Reply register(String jwt, String nodeId) {
        return send("POST", "/v0/nodes", Map.of("Authorization", "Bearer " + jwt, "Content-Type", "application/json"),
                "{\"node_id\":\"" + nodeId + "\"}");
    }

    Reply admin(String jwt, String method, String path) {
        return send(method, path, Map.of("Authorization", "Bearer " + jwt), null);
    }

    Reply heartbeat(String nodeToken, String body) {
        return send("POST", "/v0/health", Map.of("X-Node-Token", nodeToken, "Content-Type", "application/json"), body);
    }

    Reply nodes(String jwt) {
        return send("GET", "/v0/nodes", Map.of("Authorization", "Bearer " + jwt), null);
    }

    /** The node's entry in {@code GET /v0/nodes}, or null. */
    JsonNode node(String jwt, String nodeId) {
        Reply reply = nodes(jwt);
        if (reply.status() != 200) {
            return null;
        }
        for (JsonNode node : reply.json().get("nodes")) {
            if (node.get("id").asText().equals(nodeId)) {
                return node;
            }
        }
        return null;
    }
}
