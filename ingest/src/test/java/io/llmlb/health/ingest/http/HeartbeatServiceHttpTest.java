package io.llmlb.health.ingest.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.llmlb.health.http.server.GuardedServer;
import io.llmlb.health.http.server.ServerLimits;
import io.llmlb.health.ingest.InFlightHeartbeats;
import io.llmlb.health.ingest.limit.HeartbeatRateLimit;
import io.llmlb.health.ingest.limit.HeartbeatThrottle;
import io.llmlb.health.wire.Heartbeat;
import io.llmlb.health.wire.Json;
import io.llmlb.health.wire.NodeTokens;
import io.llmlb.health.wire.Registration;
import io.llmlb.health.wire.RegistryCommand;
import io.llmlb.health.wire.RegistryView;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code POST /v0/health} and {@code GET /v0/health} over a real socket on the server every
 * service runs ({@link GuardedServer}), with the registry and the sink in memory: every refusal is
 * a 4xx with a JSON error naming what is wrong, and nothing refused reaches the sink. The
 * end-to-end counterpart on a real broker is the standalone module's BadRequestTest.
 *
 * <p>One server for the class (a start costs more than the test); each test starts from an empty sink.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HeartbeatServiceHttpTest {

    private static final String NODE = "bad-request-node";
    private static final String TOKEN = "token-of-" + NODE;
    private static final String OTHER = "other-node";
    private static final String OTHER_TOKEN = "token-of-" + OTHER;

    /** One bad request and what it must get back; {@code field} null when the error must name none. */
    record Bad(String path, String method, boolean withToken, Map<String, String> headers, String contentType,
               byte[] body, boolean chunked, int status, String error, String field) {
    }

    private final List<Heartbeat> published = new CopyOnWriteArrayList<>();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private GuardedServer server;

    @BeforeAll
    void start() {
        HeartbeatService service = new HeartbeatService(new TwoNodes(), published::add,
                new HeartbeatThrottle(new HeartbeatRateLimit(1000, 1000), Clock.systemUTC()),
                new InFlightHeartbeats(Clock.systemUTC()));
        server = GuardedServer.start("127.0.0.1", 0, "LLMLB_PORT", ServerLimits.defaults(),
                routing -> routing.register(service), port -> { });
    }

    @AfterAll
    void stop() {
        server.close();
    }

    @BeforeEach
    void emptySink() {
        published.clear();
    }

    static Stream<Named<Bad>> badRequests() {
        String deepArray = "[".repeat(10_000) + "]".repeat(10_000);
        String tooManyModels = IntStream.rangeClosed(0, 256).mapToObj(i -> "\"m" + i + "\"")
                .collect(Collectors.joining(","));
        String longNumber = "1" + "0".repeat(1500);
        byte[] tooLarge = bytes("{\"node_id\":\"" + NODE + "\",\"pad\":\"" + "x".repeat(70 * 1024) + "\"}");
        return Stream.of(
                // the body as a whole
                heartbeat("malformed JSON", "{\"node_id\": \"" + NODE + "\",", 400, "malformed JSON", null),
                heartbeat("not JSON at all", "node_id=" + NODE, 400, "malformed JSON", null),
                heartbeat("a JSON array", "[{\"node_id\": \"" + NODE + "\"}]", 400, "must be a JSON object, not an array", null),
                heartbeat("a JSON string", "\"" + NODE + "\"", 400, "not a string", null),
                heartbeat("JSON null", "null", 400, "not null", null),
                heartbeat("empty body", "", 400, "empty", null),
                heartbeat("two documents", beat("") + beat(""), 400, "malformed JSON", null),
                heartbeat("duplicate node_id key", "{\"node_id\": \"" + NODE + "\", \"node_id\": \"other\"}", 400,
                        "Duplicate field", null),
                heartbeat("nested 10000 deep", "{\"node_id\": \"" + NODE + "\", \"x\": " + deepArray + "}", 400,
                        "nested deeper than 32", null),
                heartbeat("number of 1500 digits", beat(", \"active_requests\": " + longNumber), 400, "too long", null),
                raw("body over 64 KiB", true, Map.of(), "application/json", tooLarge, false, 413,
                        "larger than 65536 bytes", null),
                raw("body over 64 KiB, chunked", true, Map.of(), "application/json", tooLarge, true, 413,
                        "larger than 65536 bytes", null),
                raw("text/plain", true, Map.of(), "text/plain", bytes(beat("")), false, 415,
                        "Content-Type must be application/json", null),
                raw("no content type", true, Map.of(), null, bytes(beat("")), false, 415, "not absent", null),
                raw("content type garbage", true, Map.of(), "garbage", bytes(beat("")), false, 415,
                        "Content-Type must be application/json", null),
                raw("form encoded", true, Map.of(), "application/x-www-form-urlencoded", bytes("node_id=" + NODE), false,
                        415, "Content-Type", null),
                raw("invalid UTF-8", true, Map.of(), "application/json",
                        concat(bytes("{\"node_id\": \"" + NODE + "\", \"x\": \""), new byte[] {(byte) 0xC3, (byte) 0x28},
                                bytes("\"}")), false, 400, "UTF-8", null),
                raw("broken UTF-32", true, Map.of(), "application/json",
                        new byte[] {0, 0, 0, '{', 0x7F, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF}, false, 400, "JSON", null),
                // authentication
                raw("no node token", false, Map.of(), "application/json", bytes(beat("")), false, 401,
                        "X-Node-Token header is required", null),
                raw("unknown node token", false, Map.of("X-Node-Token", "not-a-token"), "application/json",
                        bytes(beat("")), false, 401, "unknown or revoked node token", null),
                raw("another node's token", false, Map.of("X-Node-Token", OTHER_TOKEN), "application/json",
                        bytes(beat("")), false, 403, "belongs to another node", null),
                // X-Request-Id
                raw("X-Request-Id with a space", true, Map.of("X-Request-Id", "two words"), "application/json",
                        bytes(beat("")), false, 400, "X-Request-Id must be", "X-Request-Id"),
                raw("X-Request-Id of 200 characters", true, Map.of("X-Request-Id", "r".repeat(200)), "application/json",
                        bytes(beat("")), false, 400, "X-Request-Id must be", "X-Request-Id"),
                // node_id
                heartbeat("node_id missing", "{\"gpu_metrics\": {\"usage\": 1}}", 400, "node_id is required", "node_id"),
                heartbeat("node_id a number", "{\"node_id\": 42}", 400, "must be a string, not a number", "node_id"),
                heartbeat("node_id a path trick", "{\"node_id\": \"../" + NODE + "\"}", 400, "must match", "node_id"),
                heartbeat("node_id of 300 characters", "{\"node_id\": \"" + "n".repeat(300) + "\"}", 400, "must match",
                        "node_id"),
                // gpu_metrics
                heartbeat("gpu_metrics a string", beat(", \"gpu_metrics\": \"hot\""), 400, "must be an object",
                        "gpu_metrics"),
                heartbeat("usage a string", gpu("\"usage\": \"45.5\""), 400, "must be a number, not a string",
                        "gpu_metrics.usage"),
                heartbeat("usage over 100", gpu("\"usage\": 100.5"), 400, "between 0 and 100", "gpu_metrics.usage"),
                heartbeat("usage negative", gpu("\"usage\": -1"), 400, "between 0 and 100", "gpu_metrics.usage"),
                heartbeat("usage 1e999", gpu("\"usage\": 1e999"), 400, "between 0 and 100", "gpu_metrics.usage"),
                heartbeat("usage NaN", gpu("\"usage\": NaN"), 400, "between 0 and 100", "gpu_metrics.usage"),
                heartbeat("usage Infinity", gpu("\"usage\": Infinity"), 400, "between 0 and 100", "gpu_metrics.usage"),
                heartbeat("vram_usage -Infinity", gpu("\"vram_usage\": -Infinity"), 400, "between 0 and 100",
                        "gpu_metrics.vram_usage"),
                heartbeat("vram_usage 101", gpu("\"vram_usage\": 101"), 400, "between 0 and 100", "gpu_metrics.vram_usage"),
                heartbeat("temperature 151", gpu("\"temperature\": 151"), 400, "between -50 and 150",
                        "gpu_metrics.temperature"),
                heartbeat("temperature -51", gpu("\"temperature\": -51"), 400, "between -50 and 150",
                        "gpu_metrics.temperature"),
                heartbeat("temperature a boolean", gpu("\"temperature\": true"), 400, "must be a number, not a boolean",
                        "gpu_metrics.temperature"),
                // system_metrics
                heartbeat("system_metrics an array", beat(", \"system_metrics\": [30, 50]"), 400, "must be an object",
                        "system_metrics"),
                heartbeat("cpu_usage 250", system("\"cpu_usage\": 250"), 400, "between 0 and 100",
                        "system_metrics.cpu_usage"),
                heartbeat("memory_usage -0.1", system("\"memory_usage\": -0.1"), 400, "between 0 and 100",
                        "system_metrics.memory_usage"),
                heartbeat("memory_usage 1e999", system("\"memory_usage\": 1e999"), 400, "between 0 and 100",
                        "system_metrics.memory_usage"),
                // active_requests
                heartbeat("active_requests negative", beat(", \"active_requests\": -1"), 400, "non-negative integer",
                        "active_requests"),
                heartbeat("active_requests fractional", beat(", \"active_requests\": 1.5"), 400, "non-negative integer",
                        "active_requests"),
                heartbeat("active_requests a string", beat(", \"active_requests\": \"2\""), 400, "non-negative integer",
                        "active_requests"),
                heartbeat("active_requests overflowing", beat(", \"active_requests\": 99999999999999999999"), 400,
                        "non-negative integer", "active_requests"),
                // loaded_models
                heartbeat("loaded_models a string", beat(", \"loaded_models\": \"llama\""), 400, "list of strings",
                        "loaded_models"),
                heartbeat("loaded_models with a number", beat(", \"loaded_models\": [\"llama\", 7]"), 400,
                        "only strings", "loaded_models"),
                heartbeat("257 loaded_models", beat(", \"loaded_models\": [" + tooManyModels + "]"), 400,
                        "at most 256", "loaded_models"),
                heartbeat("model name of 257 characters", beat(", \"loaded_models\": [\"" + "m".repeat(257) + "\"]"),
                        400, "longer than 256", "loaded_models"),
                // routing
                Named.of("wrong method", new Bad("/v0/health", "PUT", true, Map.of(), "application/json",
                        bytes(beat("")), false, 404, "no endpoint PUT /v0/health", null)),
                Named.of("unknown path", new Bad("/v0/no-such-thing", "GET", false, Map.of(), null, null, false, 404,
                        "no endpoint GET /v0/no-such-thing", null)));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("badRequests")
    void badHeartbeatGetsA4xxJsonErrorAndReachesNothing(Bad bad) {
        HttpResponse<String> response = send(bad);

        assertEquals(bad.status(), response.statusCode(), response.body());
        assertEquals("application/json", response.headers().firstValue("Content-Type").orElse(null));
        JsonNode error = parse(response.body());
        assertNotNull(error, "the body is JSON: " + response.body());
        assertTrue(error.path("error").asText().contains(bad.error()),
                "error should contain '" + bad.error() + "': " + response.body());
        if (bad.field() == null) {
            assertFalse(error.has("field"), response.body());
        } else {
            assertEquals(bad.field(), error.path("field").asText(null), response.body());
        }
        assertFalse(response.body().contains("Exception") || response.body().contains("\tat "),
                "no stack trace: " + response.body());
        if (response.statusCode() == 401) {
            assertTrue(response.headers().firstValue("WWW-Authenticate").isPresent(), "401 says how to authenticate");
        }
        assertEquals(List.of(), published, "nothing refused reaches the sink");

        goodHeartbeatIsPublished();
    }

    static Stream<Arguments> malformedHttp() {
        return Stream.of(
                Arguments.of("garbage request line", "GARBAGE\r\n\r\n"),
                Arguments.of("non-numeric Content-Length",
                        "POST /v0/health HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\nConnection: close\r\n\r\n"),
                Arguments.of("broken percent-encoding",
                        "GET /v0/nodes/%zz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"));
    }

    @ParameterizedTest(name = "[{index}] malformed HTTP: {0}")
    @MethodSource("malformedHttp")
    void requestsHelidonRefusesBeforeRoutingStillGetAJsonError(String description, String rawRequest) throws Exception {
        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(rawRequest.getBytes(StandardCharsets.ISO_8859_1));
            socket.getOutputStream().flush();
            String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);

            assertTrue(answer.startsWith("HTTP/1.1 4"), description + ": " + answer);
            assertTrue(answer.toLowerCase(Locale.ROOT).contains("content-type: application/json"), answer);
            String body = answer.substring(answer.indexOf("\r\n\r\n") + 4);
            assertTrue(Json.MAPPER.readTree(body).hasNonNull("error"), answer);
        }
        goodHeartbeatIsPublished();
    }

    @Test
    void tokenTellsItsNodeOnGet() {
        HttpResponse<String> mine = send(new Bad("/v0/health", "GET", true, Map.of(), null, null, false, 200, "", null));
        HttpResponse<String> unknown = send(new Bad("/v0/health", "GET", false, Map.of("X-Node-Token", "nope"), null,
                null, false, 401, "", null));

        assertEquals(200, mine.statusCode(), mine.body());
        assertEquals(NODE, parse(mine.body()).path("node_id").asText());
        assertTrue(parse(mine.body()).path("approved").asBoolean());
        assertEquals(401, unknown.statusCode(), unknown.body());
    }

    private void goodHeartbeatIsPublished() {
        int before = published.size();
        HttpResponse<String> good = send(new Bad("/v0/health", "POST", true, Map.of("X-Request-Id", "good-1"),
                "application/json", bytes("{\"node_id\": \"" + NODE + "\", \"active_requests\": 2}"), false, 200, "",
                null));

        assertEquals(200, good.statusCode(), "a good heartbeat right after: " + good.body());
        assertEquals("ok", parse(good.body()).path("status").asText());
        assertEquals(before + 1, published.size());
        Heartbeat stored = published.getLast();
        assertEquals(NODE, stored.nodeId());
        assertEquals("good-1", stored.requestId());
        published.clear();
    }

    private HttpResponse<String> send(Bad bad) {
        Map<String, String> headers = new LinkedHashMap<>(bad.headers());
        if (bad.withToken()) {
            headers.put("X-Node-Token", TOKEN);
        }
        if (bad.contentType() != null) {
            headers.put("Content-Type", bad.contentType());
        }
        HttpRequest.BodyPublisher body = bad.body() == null ? HttpRequest.BodyPublishers.noBody()
                : bad.chunked() ? HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(bad.body()))
                : HttpRequest.BodyPublishers.ofByteArray(bad.body());
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + bad.path()))
                .timeout(Duration.ofSeconds(30))
                .method(bad.method(), body);
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

    /** Two approved nodes, each with its own token. */
    private static final class TwoNodes implements RegistryView {

        private final Map<String, Registration> byNodeId = Map.of(NODE, approved(NODE, TOKEN), OTHER,
                approved(OTHER, OTHER_TOKEN));

        private static Registration approved(String nodeId, String token) {
            Instant at = Instant.parse("2026-12-01T00:00:00Z");
            return new Registration(nodeId, NodeTokens.sha256Hex(token), true, "host", Map.of(), at,
                    RegistryCommand.REGISTERED, at);
        }

        @Override
        public Optional<Registration> byNodeId(String nodeId) {
            return Optional.ofNullable(byNodeId.get(nodeId));
        }

        @Override
        public Optional<Registration> byTokenHash(String tokenSha256) {
            return byNodeId.values().stream().filter(r -> r.tokenSha256().equals(tokenSha256)).findFirst();
        }

        @Override
        public int size() {
            return byNodeId.size();
        }

        @Override
        public Collection<Registration> all() {
            return byNodeId.values();
        }
    }

    private static JsonNode parse(String body) {
        try {
            return Json.MAPPER.readTree(body);
        } catch (IOException notJson) {
            return null;
        }
    }

    private static String beat(String more) {
        return "{\"node_id\": \"" + NODE + "\"" + more + "}";
    }

    private static String gpu(String metrics) {
        return beat(", \"gpu_metrics\": {" + metrics + "}");
    }

    private static String system(String metrics) {
        return beat(", \"system_metrics\": {" + metrics + "}");
    }

    private static Named<Bad> heartbeat(String name, String body, int status, String error, String field) {
        return raw(name, true, Map.of(), "application/json", bytes(body), false, status, error, field);
    }

    private static Named<Bad> raw(String name, boolean withToken, Map<String, String> headers, String contentType,
                                  byte[] body, boolean chunked, int status, String error, String field) {
        return Named.of(name, new Bad("/v0/health", "POST", withToken, headers, contentType, body, chunked, status,
                error, field));
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] concat(byte[]... parts) {
        int length = 0;
        for (byte[] part : parts) {
            length += part.length;
        }
        byte[] joined = new byte[length];
        int at = 0;
        for (byte[] part : parts) {
            System.arraycopy(part, 0, joined, at, part.length);
            at += part.length;
        }
        return joined;
    }
}
