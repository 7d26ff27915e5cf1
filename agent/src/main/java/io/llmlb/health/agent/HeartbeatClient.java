package io.llmlb.health.agent;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.llmlb.health.wire.GpuMetrics;
import io.llmlb.health.wire.Json;
import io.llmlb.health.wire.SystemMetrics;
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
import java.util.List;
import java.util.Optional;

/**
 * The project's one heartbeat sender: the node agent, the fleet simulator, the bench and the chaos
 * fleet all send {@code POST /v0/health} through it. It writes the seed's heartbeat JSON (absent
 * figures left out, never sent as null), sends it with the node token in {@code X-Node-Token},
 * and reads the answer as the seed's contract defines it ({@link Verdict}). Kafka-free: it lives
 * in the agent's jar.
 */
public final class HeartbeatClient {

    /** Where heartbeats go. */
    public static final String PATH = "/v0/health";
    /** The header that carries the node token. */
    public static final String TOKEN_HEADER = "X-Node-Token";
    /** Longest Retry-After obeyed: a misconfigured proxy must not park the fleet for a day. */
    public static final Duration MAX_RETRY_AFTER = Duration.ofMinutes(10);

    /** Absent figures are left out, not sent as null. */
    private static final ObjectMapper MAPPER = Json.MAPPER.copy()
            .setDefaultPropertyInclusion(JsonInclude.Value.construct(JsonInclude.Include.NON_NULL,
                    JsonInclude.Include.NON_NULL));

    /** What an answer means for the sender. */
    public enum Verdict {
        /** 2xx: stored (ingest answers only after Kafka acknowledged it). */
        ACCEPTED,
        /** 429 or 503: the server is busy or its Kafka is unavailable; retry after {@link Answer#retryAfter()}. */
        BUSY,
        /** Another status below 500 (a 4xx): the token, the node or the body was refused; resending the same cannot help. */
        REFUSED,
        /** Another 5xx: the server failed; retry with backoff. */
        SERVER_ERROR
    }

    /**
     * What the server answered.
     *
     * @param status HTTP status
     * @param body the response body
     * @param retryAfter the Retry-After header (capped at {@link #MAX_RETRY_AFTER}), or null
     */
    public record Answer(int status, String body, Duration retryAfter) {

        /** What the status means for the sender. */
        public Verdict verdict() {
            if (status / 100 == 2) {
                return Verdict.ACCEPTED;
            }
            if (status == 429 || status == 503) {
                return Verdict.BUSY;
            }
            return status >= 500 ? Verdict.SERVER_ERROR : Verdict.REFUSED;
        }

        /** True for a 2xx answer. */
        public boolean ok() {
            return verdict() == Verdict.ACCEPTED;
        }

        /** The {@code error} field of a JSON error body, or the body itself. */
        public String error() {
            String error = field("error");
            if (error != null) {
                return error;
            }
            return body.length() > 200 ? body.substring(0, 200) + "..." : body;
        }

        /** A top-level text field of a JSON body, or null. */
        public String field(String name) {
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

    /** A client with an HTTP/1.1 connection pool of its own. */
    public HeartbeatClient(URI baseUrl, Duration requestTimeout) {
        this(baseUrl, requestTimeout, newHttpClient());
    }

    /** A client sharing {@code http} (a fleet of simulated nodes shares one pool). */
    public HeartbeatClient(URI baseUrl, Duration requestTimeout, HttpClient http) {
        this.baseUrl = baseUrl;
        this.requestTimeout = requestTimeout;
        this.http = http;
    }

    /** The HTTP/1.1 client every sender uses (the gateway and ingest speak HTTP/1.1). */
    public static HttpClient newHttpClient() {
        return HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5))
                .build();
    }

    /** Sends one heartbeat for the node of {@code nodeToken}. */
    public Answer send(String nodeToken, HeartbeatBody body) throws IOException, InterruptedException {
        return answer(http.send(request(nodeToken, body), HttpResponse.BodyHandlers.ofString()));
    }

    /** The request {@link #send} sends. */
    public HttpRequest request(String nodeToken, HeartbeatBody body) {
        return HttpRequest.newBuilder(baseUrl.resolve(PATH))
                .timeout(requestTimeout)
                .header("Content-Type", "application/json")
                .header(TOKEN_HEADER, nodeToken)
                .POST(HttpRequest.BodyPublishers.ofByteArray(json(body)))
                .build();
    }

    /** The seed's heartbeat JSON for {@code body}. */
    public static byte[] json(Object body) {
        try {
            return MAPPER.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("heartbeat body not serialisable", e);
        }
    }

    /** The seed quickstart's example heartbeat, for node {@code nodeId}. */
    public static HeartbeatBody seedExample(String nodeId) {
        return new HeartbeatBody(nodeId, new GpuMetrics(45.5, 78.2, 65.0), new SystemMetrics(30.0, 50.0), 2,
                List.of("llama-3.2-1b"));
    }

    static Answer answer(HttpResponse<String> response) {
        return new Answer(response.statusCode(), response.body(),
                response.headers().firstValue("Retry-After").flatMap(value -> retryAfter(value, Instant.now()))
                        .orElse(null));
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
