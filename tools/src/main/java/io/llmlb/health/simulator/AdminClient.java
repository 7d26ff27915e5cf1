package io.llmlb.health.simulator;

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
import java.util.Optional;
import java.util.TreeMap;

/**
 * The admin side of the HTTP API, as the simulator, the bench and the tools' tests use it: log
 * in, register and approve nodes, read their states. Thread-safe once logged in.
 */
public final class AdminClient {

    /** A failed call: status and the server's error message. */
    public static final class ApiFailure extends RuntimeException {
        private final int status;

        ApiFailure(String call, int status, String body) {
            super(call + " answered " + status + ": " + errorOf(body));
            this.status = status;
        }

        public int status() {
            return status;
        }
    }

    private final HttpClient http;
    private final URI baseUrl;
    private volatile String jwt;

    public AdminClient(URI baseUrl) {
        this(baseUrl, HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build());
    }

    public AdminClient(URI baseUrl, HttpClient http) {
        this.baseUrl = baseUrl;
        this.http = http;
    }

    /** Logs in; later calls carry the JWT. */
    public AdminClient login(String username, String password) {
        JsonNode answer = expect(200, "login", send("POST", "/v0/auth/login",
                Json.MAPPER.createObjectNode().put("username", username).put("password", password).toString(), false));
        jwt = answer.get("token").asText();
        return this;
    }

    /** The JWT of the last login, for a client of its own (the bench's raw connections); null before. */
    public String token() {
        return jwt;
    }

    /** Registers {@code nodeId} and returns its token; a node that exists gets a new token instead. */
    public String register(String nodeId) {
        HttpResponse<String> answer = send("POST", "/v0/nodes",
                Json.MAPPER.createObjectNode().put("node_id", nodeId).put("machine_name", nodeId).toString(), true);
        if (answer.statusCode() == 409 && !answer.body().contains("LLMLB_MAX_NODES")) {
            return rotateToken(nodeId);
        }
        return expect(201, "register " + nodeId, answer).get("node_token").asText();
    }

    /** Issues a new token for an existing node. */
    public String rotateToken(String nodeId) {
        return expect(200, "rotate token of " + nodeId, send("POST", "/v0/nodes/" + nodeId + "/token", null, true))
                .get("node_token").asText();
    }

    /** Approves {@code nodeId}; a node approved before is fine too. */
    public void approve(String nodeId) {
        HttpResponse<String> answer = send("POST", "/v0/nodes/" + nodeId + "/approve", null, true);
        if (answer.statusCode() == 409 && answer.body().contains("already approved")) {
            return;
        }
        expect(200, "approve " + nodeId, answer);
    }

    /** The node's JSON from {@code GET /v0/nodes/{id}}, if known. */
    public Optional<JsonNode> node(String nodeId) {
        HttpResponse<String> answer = send("GET", "/v0/nodes/" + nodeId, null, true);
        if (answer.statusCode() == 404) {
            return Optional.empty();
        }
        return Optional.of(expect(200, "read " + nodeId, answer));
    }

    /** The node's state, if known. */
    public Optional<String> state(String nodeId) {
        return node(nodeId).map(node -> node.get("state").asText());
    }

    /** How many nodes are in each state, from {@code GET /v0/nodes}. */
    public Map<String, Integer> stateCounts() {
        JsonNode answer = expect(200, "list nodes", send("GET", "/v0/nodes", null, true));
        Map<String, Integer> counts = new TreeMap<>();
        for (JsonNode node : answer.get("nodes")) {
            counts.merge(node.get("state").asText(), 1, Integer::sum);
        }
        return counts;
    }

    /** A raw authenticated GET, for callers that measure it. */
    public HttpResponse<String> get(String path) {
        return send("GET", path, null, true);
    }

    private HttpResponse<String> send(String method, String path, String body, boolean authenticated) {
        HttpRequest.Builder request = HttpRequest.newBuilder(baseUrl.resolve(path))
                .timeout(Duration.ofSeconds(60))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        if (authenticated) {
            if (jwt == null) {
                throw new IllegalStateException("log in first");
            }
            request.header("Authorization", "Bearer " + jwt);
        }
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(method + " " + path + " failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted during " + method + " " + path, e);
        }
    }

    private static JsonNode expect(int status, String call, HttpResponse<String> answer) {
        if (answer.statusCode() != status) {
            throw new ApiFailure(call, answer.statusCode(), answer.body());
        }
        try {
            return Json.MAPPER.readTree(answer.body());
        } catch (IOException e) {
            throw new UncheckedIOException(call + " answered a body that is not JSON", e);
        }
    }

    private static String errorOf(String body) {
        try {
            JsonNode json = Json.MAPPER.readTree(body);
            if (json != null && json.hasNonNull("error")) {
                return json.get("error").asText();
            }
        } catch (IOException notJson) {
            // fall through
        }
        return body.length() > 200 ? body.substring(0, 200) : body;
    }
}
