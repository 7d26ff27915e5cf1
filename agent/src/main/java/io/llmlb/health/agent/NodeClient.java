package io.llmlb.health.agent;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.llmlb.health.wire.Json;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The calls a node makes: {@code POST /v0/health}, {@code GET /v0/health} to learn its node id from
 * its token, and, to enroll, {@code POST /v0/nodes}.
 */
final class NodeClient {

    /** Longest Retry-After obeyed: a misconfigured proxy must not park the fleet for a day. */
    static final Duration MAX_RETRY_AFTER = Duration.ofMinutes(10);

    /** Absent figures are left out, not sent as null. */
    private static final ObjectMapper MAPPER = Json.MAPPER.copy()
            .setDefaultPropertyInclusion(JsonInclude.Value.construct(JsonInclude.Include.NON_NULL,
                    JsonInclude.Include.NON_NULL));

    /**
     * What the server answered.
     *
     * @param status HTTP status
     * @param body the response body
     * @param retryAfter the Retry-After header, or null
     */
    record Answer(int status, String body, Duration retryAfter) {

        boolean ok() {
            return status / 100 == 2;
        }

        /** The {@code error} field of a JSON error body, or the body itself. */
        String error() {
            try {
                JsonNode json = Json.MAPPER.readTree(body);
                if (json != null && json.hasNonNull("error")) {
                    return json.get("error").asText();
                }
            } catch (IOException notJson) {
                // fall through to the raw body
            }
            return body.length() > 200 ? body.substring(0, 200) + "..." : body;
        }

        String field(String name) {
            try {
                JsonNode json = Json.MAPPER.readTree(body);
                return json != null && json.hasNonNull(name) ? json.get(name).asText() : null;
            } catch (IOException notJson) {
                return null;
            }
        }
    }

    private final HttpClient http;
    private final URI baseUrl;
    private final Duration requestTimeout;

    NodeClient(URI baseUrl, Duration requestTimeout) {
        this.baseUrl = baseUrl;
        this.requestTimeout = requestTimeout;
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5))
                .build();
    }

    Answer heartbeat(String nodeToken, HeartbeatBody body) throws IOException, InterruptedException {
        return post("/v0/health", Map.of("X-Node-Token", nodeToken), body);
    }

    /** {@code GET /v0/health}: which node {@code nodeToken} belongs to ({@code node_id}). */
    Answer whoAmI(String nodeToken) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(baseUrl.resolve("/v0/health"))
                .timeout(requestTimeout)
                .header("X-Node-Token", nodeToken)
                .GET()
                .build();
        return answer(http.send(request, HttpResponse.BodyHandlers.ofString()));
    }

    Answer enroll(String enrollmentKey, String nodeId, String machineName, Map<String, String> labels)
            throws IOException, InterruptedException {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("node_id", nodeId);
        body.put("machine_name", machineName.length() > 256 ? machineName.substring(0, 256) : machineName);
        body.put("labels", labels);
        return post("/v0/nodes", Map.of("X-Enrollment-Key", enrollmentKey), body);
    }

    private Answer post(String path, Map<String, String> headers, Object body) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(baseUrl.resolve(path))
                .timeout(requestTimeout)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(toJson(body)));
        headers.forEach(request::header);
        return answer(http.send(request.build(), HttpResponse.BodyHandlers.ofString()));
    }

    private static Answer answer(HttpResponse<String> response) {
        return new Answer(response.statusCode(), response.body(),
                response.headers().firstValue("Retry-After").flatMap(value -> retryAfter(value, Instant.now()))
                        .orElse(null));
    }

    static byte[] toJson(Object body) {
        try {
            return MAPPER.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("heartbeat body not serialisable", e);
        }
    }

    /** Retry-After as delta-seconds or an HTTP date (RFC 9110), capped at {@link #MAX_RETRY_AFTER}. */
    static Optional<Duration> retryAfter(String value, Instant now) {
        String trimmed = value.trim();
        Duration wait;
        try {
            wait = Duration.ofSeconds(Long.parseLong(trimmed));
        } catch (NumberFormatException notSeconds) {
            try {
                wait = Duration.between(now, ZonedDateTime.parse(trimmed, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant());
            } catch (DateTimeParseException notDate) {
                return Optional.empty();
            }
        }
        if (wait.isNegative()) {
            return Optional.of(Duration.ZERO);
        }
        return Optional.of(wait.compareTo(MAX_RETRY_AFTER) > 0 ? MAX_RETRY_AFTER : wait);
    }
}
