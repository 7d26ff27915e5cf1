package io.llmlb.health.standalone;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.llmlb.health.wire.Json;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Bad requests over real HTTP against one running stack: each gets the right 4xx and a JSON body
 * {@code {"error", "field"}} that says what was wrong, never a 5xx or a stack trace, and a good
 * heartbeat right after still works. At the end, exactly the good heartbeats reached the pipeline.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BadRequestTest {

    private static final String NODE = "bad-request-node";
    private static final Duration PATIENCE = Duration.ofSeconds(30);
    private static final AtomicInteger GOOD_HEARTBEATS = new AtomicInteger();

    @TempDir
    static Path dataDir;

    private static Standalone standalone;
    private static ApiClient api;
    private static HttpClient http;
    private static String adminJwt;
    private static String nodeToken;

    /** Who a request claims to be. */
    enum Auth { NONE, NODE_TOKEN, ADMIN_JWT }

    /**
     * One bad request and what it must get back.
     *
     * @param field the field the error must name, or null when it must name none
     */
    record Bad(String method, String path, Auth auth, Map<String, String> headers, String contentType,
               byte[] body, boolean chunked, int status, String error, String field) {
    }

    @BeforeAll
    static void startStack() throws InterruptedException {
        // Long timeout: the node must stay online for the whole run, so its heartbeat count is exact.
        standalone = TestStacks.start(TestStacks.environment(dataDir), Duration.ofMinutes(5), Duration.ofSeconds(1));
        api = new ApiClient(standalone.port());
        http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        adminJwt = api.adminJwt();
        ApiClient.Reply registered = api.register(adminJwt, NODE);
        assertEquals(201, registered.status(), registered.body());
        nodeToken = registered.json().get("node_token").asText();
        assertEquals(200, api.admin(adminJwt, "POST", "/v0/nodes/" + NODE + "/approve").status());
        goodHeartbeatSucceeds();
    }

    @AfterAll
    static void stopStack() {
        if (standalone != null) {
            standalone.close();
        }
    }

    static Stream<Named<Bad>> badRequests() {
        String deepArray = "[".repeat(10_000) + "]".repeat(10_000);
        String tooManyModels = IntStream.rangeClosed(0, 256).mapToObj(i -> "\"m" + i + "\"")
                .collect(Collectors.joining(","));
        String longNumber = "1" + "0".repeat(1500);
        byte[] tooLarge = ("{\"node_id\":\"" + NODE + "\",\"pad\":\"" + "x".repeat(70 * 1024) + "\"}")
                .getBytes(StandardCharsets.UTF_8);
        return Stream.of(
                // heartbeat: the body as a whole
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
                raw("body over 64 KiB", "POST", "/v0/health", Auth.NODE_TOKEN, Map.of(), "application/json", tooLarge,
                        false, 413, "larger than 65536 bytes", null),
                raw("body over 64 KiB, chunked", "POST", "/v0/health", Auth.NODE_TOKEN, Map.of(), "application/json",
                        tooLarge, true, 413, "larger than 65536 bytes", null),
                raw("text/plain", "POST", "/v0/health", Auth.NODE_TOKEN, Map.of(), "text/plain", bytes(beat("")),
                        false, 415, "Content-Type must be application/json", null),
                raw("no content type", "POST", "/v0/health", Auth.NODE_TOKEN, Map.of(), null, bytes(beat("")),
                        false, 415, "not absent", null),
                raw("content type garbage", "POST", "/v0/health", Auth.NODE_TOKEN, Map.of(), "garbage",
                        bytes(beat("")), false, 415, "Content-Type must be application/json", null),
                raw("form encoded", "POST", "/v0/health", Auth.NODE_TOKEN, Map.of(),
                        "application/x-www-form-urlencoded", bytes("node_id=" + NODE), false, 415, "Content-Type", null),
                raw("invalid UTF-8", "POST", "/v0/health", Auth.NODE_TOKEN, Map.of(), "application/json",
                        concat(bytes("{\"node_id\": \"" + NODE + "\", \"x\": \""), new byte[] {(byte) 0xC3, (byte) 0x28},
                                bytes("\"}")), false, 400, "UTF-8", null),
                raw("broken UTF-32", "POST", "/v0/health", Auth.NODE_TOKEN, Map.of(), "application/json",
                        new byte[] {0, 0, 0, '{', 0x7F, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF}, false, 400, "JSON", null),
                // heartbeat: authentication
                raw("no node token", "POST", "/v0/health", Auth.NONE, Map.of(), "application/json", bytes(beat("")),
                        false, 401, "X-Node-Token header is required", null),
                raw("unknown node token", "POST", "/v0/health", Auth.NONE, Map.of("X-Node-Token", "not-a-token"),
                        "application/json", bytes(beat("")), false, 401, "unknown or revoked node token", null),
                // heartbeat: node_id
                raw("heartbeat: X-Request-Id with a space", "POST", "/v0/health", Auth.NODE_TOKEN,
                        Map.of("X-Request-Id", "two words"), "application/json", bytes(beat("")), false, 400,
                        "X-Request-Id must be", "X-Request-Id"),
                raw("heartbeat: X-Request-Id of 200 characters", "POST", "/v0/health", Auth.NODE_TOKEN,
                        Map.of("X-Request-Id", "r".repeat(200)), "application/json", bytes(beat("")), false, 400,
                        "X-Request-Id must be", "X-Request-Id"),
                heartbeat("node_id missing", "{\"gpu_metrics\": {\"usage\": 1}}", 400, "node_id is required", "node_id"),
                heartbeat("node_id a number", "{\"node_id\": 42}", 400, "must be a string, not a number", "node_id"),
                heartbeat("node_id a path trick", "{\"node_id\": \"../" + NODE + "\"}", 400, "must match", "node_id"),
                heartbeat("node_id of 300 characters", "{\"node_id\": \"" + "n".repeat(300) + "\"}", 400, "must match",
                        "node_id"),
                // heartbeat: gpu_metrics
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
                // heartbeat: system_metrics
                heartbeat("system_metrics an array", beat(", \"system_metrics\": [30, 50]"), 400, "must be an object",
                        "system_metrics"),
                heartbeat("cpu_usage 250", system("\"cpu_usage\": 250"), 400, "between 0 and 100",
                        "system_metrics.cpu_usage"),
                heartbeat("memory_usage -0.1", system("\"memory_usage\": -0.1"), 400, "between 0 and 100",
                        "system_metrics.memory_usage"),
                heartbeat("memory_usage 1e999", system("\"memory_usage\": 1e999"), 400, "between 0 and 100",
                        "system_metrics.memory_usage"),
                // heartbeat: active_requests
                heartbeat("active_requests negative", beat(", \"active_requests\": -1"), 400, "non-negative integer",
                        "active_requests"),
                heartbeat("active_requests fractional", beat(", \"active_requests\": 1.5"), 400, "non-negative integer",
                        "active_requests"),
                heartbeat("active_requests a string", beat(", \"active_requests\": \"2\""), 400, "non-negative integer",
                        "active_requests"),
                heartbeat("active_requests overflowing", beat(", \"active_requests\": 99999999999999999999"), 400,
                        "non-negative integer", "active_requests"),
                // heartbeat: loaded_models
                heartbeat("loaded_models a string", beat(", \"loaded_models\": \"llama\""), 400, "list of strings",
                        "loaded_models"),
                heartbeat("loaded_models with a number", beat(", \"loaded_models\": [\"llama\", 7]"), 400,
                        "only strings", "loaded_models"),
                heartbeat("257 loaded_models", beat(", \"loaded_models\": [" + tooManyModels + "]"), 400,
                        "at most 256", "loaded_models"),
                heartbeat("model name of 257 characters", beat(", \"loaded_models\": [\"" + "m".repeat(257) + "\"]"),
                        400, "longer than 256", "loaded_models"),
                // login
                login("login malformed", "{\"username\": \"admin\"", 400, "malformed JSON", null),
                login("login username missing", "{\"password\": \"test\"}", 400, "username is required", "username"),
                login("login username a number", "{\"username\": 1, \"password\": \"test\"}", 400, "must be a string",
                        "username"),
                login("login password missing", "{\"username\": \"admin\"}", 400, "password is required", "password"),
                login("login password empty", "{\"username\": \"admin\", \"password\": \"\"}", 400, "1-256 characters",
                        "password"),
                login("login username of 300 characters", "{\"username\": \"" + "u".repeat(300)
                        + "\", \"password\": \"x\"}", 400, "1-256 characters", "username"),
                login("login an array", "[\"admin\", \"test\"]", 400, "must be a JSON object", null),
                login("login wrong password", "{\"username\": \"bad-request-user\", \"password\": \"nope\"}", 401,
                        "invalid username or password", null),
                raw("login body over 64 KiB", "POST", "/v0/auth/login", Auth.NONE, Map.of(), "application/json",
                        bytes("{\"username\": \"admin\", \"password\": \"" + "p".repeat(70 * 1024) + "\"}"), false, 413,
                        "larger than 65536 bytes", null),
                raw("login as text/plain", "POST", "/v0/auth/login", Auth.NONE, Map.of(), "text/plain",
                        bytes("{\"username\": \"admin\", \"password\": \"test\"}"), false, 415, "Content-Type", null),
                // registration
                register("node_id a path trick", "{\"node_id\": \"../x\"}", 400, "must match", "node_id"),
                register("node_id HTML", "{\"node_id\": \"<b>x</b>\"}", 400, "must match", "node_id"),
                register("node_id of 65 characters", "{\"node_id\": \"" + "n".repeat(65) + "\"}", 400, "must match",
                        "node_id"),
                register("node_id of 300 characters", "{\"node_id\": \"" + "n".repeat(300) + "\"}", 400,
                        "longer than 256", "node_id"),
                register("node_id empty", "{\"node_id\": \"\"}", 400, "must match", "node_id"),
                register("node_id '..'", "{\"node_id\": \"..\"}", 400, "must match", "node_id"),
                register("node_id '.'", "{\"node_id\": \".\"}", 400, "must match", "node_id"),
                register("node_id with a space", "{\"node_id\": \"my node\"}", 400, "must match", "node_id"),
                register("node_id not ASCII", "{\"node_id\": \"nöde\"}", 400, "must match", "node_id"),
                register("node_id an object", "{\"node_id\": {\"id\": \"x\"}}", 400, "must be a string, not an object",
                        "node_id"),
                register("machine_name a number", "{\"node_id\": \"fresh-1\", \"machine_name\": 5}", 400,
                        "must be a string", "machine_name"),
                register("labels an array", "{\"node_id\": \"fresh-2\", \"labels\": [\"gpu\"]}", 400,
                        "must be an object of strings", "labels"),
                register("label value a number", "{\"node_id\": \"fresh-3\", \"labels\": {\"gpus\": 8}}", 400,
                        "label gpus", "labels"),
                register("already registered", "{\"node_id\": \"" + NODE + "\"}", 409, "already registered", null),
                register("registration malformed", "{\"node_id\": ", 400, "malformed JSON", null),
                raw("registration body over 64 KiB", "POST", "/v0/nodes", Auth.ADMIN_JWT, Map.of(), "application/json",
                        bytes("{\"node_id\": \"fresh-6\", \"machine_name\": \"" + "m".repeat(70 * 1024) + "\"}"), false,
                        413, "larger than 65536 bytes", null),
                raw("registration as XML", "POST", "/v0/nodes", Auth.ADMIN_JWT, Map.of(), "application/xml",
                        bytes("<node id=\"fresh-7\"/>"), false, 415, "not application/xml", null),
                raw("registration without a JWT", "POST", "/v0/nodes", Auth.NONE, Map.of(), "application/json",
                        bytes("{\"node_id\": \"fresh-4\"}"), false, 401, "Bearer", null),
                raw("enrollment key while self-registration is off", "POST", "/v0/nodes", Auth.NONE,
                        Map.of("X-Enrollment-Key", "guess"), "application/json", bytes("{\"node_id\": \"fresh-5\"}"),
                        false, 403, "self-registration is disabled", null),
                // admin actions and reads
                admin("approve an unknown node", "POST", "/v0/nodes/no-such-node/approve", 404, "not registered", null),
                admin("approve a node that is not pending", "POST", "/v0/nodes/" + NODE + "/approve", 409, "not pending",
                        null),
                admin("disconnect an unknown node", "POST", "/v0/nodes/no-such-node/disconnect", 404, "not registered",
                        null),
                admin("delete an unknown node", "DELETE", "/v0/nodes/no-such-node", 404, "not registered", null),
                admin("rotate the token of an unknown node", "POST", "/v0/nodes/no-such-node/token", 404,
                        "not registered", null),
                admin("read an unknown node", "GET", "/v0/nodes/no-such-node", 404, "not known", null),
                admin("approve an id of 300 characters", "POST", "/v0/nodes/" + "n".repeat(300) + "/approve", 400,
                        "must match", "id"),
                admin("approve an id with an encoded slash", "POST", "/v0/nodes/a%2Fb/approve", 404,
                        "no endpoint POST /v0/nodes/a/b/approve", null),
                admin("approve an id with HTML", "POST", "/v0/nodes/%3Cb%3E/approve", 400, "must match", "id"),
                raw("list with a Basic header", "GET", "/v0/nodes", Auth.NONE, Map.of("Authorization", "Basic YWRtaW46dGVzdA=="),
                        null, null, false, 401, "Bearer", null),
                raw("unknown path", "GET", "/v0/no-such-thing", Auth.NONE, Map.of(), null, null, false, 404,
                        "no endpoint GET /v0/no-such-thing", null),
                raw("wrong method", "PUT", "/v0/health", Auth.NODE_TOKEN, Map.of(), "application/json", bytes(beat("")),
                        false, 404, "no endpoint PUT /v0/health", null),
                raw("list with a garbage JWT", "GET", "/v0/nodes", Auth.NONE, Map.of("Authorization", "Bearer x.y.z"),
                        null, null, false, 401, "token", null));
    }

    @Order(1)
    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("badRequests")
    void badRequestGetsA4xxWithAJsonErrorAndTheServiceKeepsWorking(Bad bad) {
        HttpResponse<String> response = send(bad);

        assertEquals(bad.status(), response.statusCode(), response.body());
        assertEquals("application/json", response.headers().firstValue("Content-Type").orElse(null));
        JsonNode error = parse(response.body());
        assertNotNull(error, "the body is JSON: " + response.body());
        assertTrue(error.path("error").isTextual(), response.body());
        assertTrue(error.get("error").asText().contains(bad.error()),
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

        goodHeartbeatSucceeds();
    }

    @Order(2)
    @Test
    void onlyTheGoodHeartbeatsReachedThePipeline() {
        // Every bad heartbeat was refused before Kafka: the node counted exactly the good ones.
        await().atMost(PATIENCE).untilAsserted(() -> {
            JsonNode node = api.node(adminJwt, NODE);
            assertNotNull(node);
            assertEquals(GOOD_HEARTBEATS.get(), node.get("heartbeats").asInt());
            assertEquals("online", node.get("state").asText());
        });
        assertTrue(GOOD_HEARTBEATS.get() > 40, "the table ran: " + GOOD_HEARTBEATS.get());
        // Nothing that the registration table refused was registered.
        ApiClient.Reply nodes = api.nodes(adminJwt);
        assertEquals(1, nodes.json().get("nodes").size(), nodes.body());
    }

    @Order(3)
    @ParameterizedTest(name = "[{index}] malformed HTTP: {0}")
    @MethodSource("malformedHttp")
    void requestsHelidonRefusesBeforeRoutingStillGetAJsonError(String description, String rawRequest) throws Exception {
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", standalone.port())) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(rawRequest.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
            socket.getOutputStream().flush();
            String answer = new String(socket.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.ISO_8859_1);

            assertTrue(answer.startsWith("HTTP/1.1 4"), description + ": " + answer);
            assertTrue(answer.toLowerCase(java.util.Locale.ROOT).contains("content-type: application/json"), answer);
            String body = answer.substring(answer.indexOf("\r\n\r\n") + 4);
            assertTrue(Json.MAPPER.readTree(body).hasNonNull("error"), answer);
        }
        goodHeartbeatSucceeds();
    }

    static java.util.stream.Stream<org.junit.jupiter.params.provider.Arguments> malformedHttp() {
        return java.util.stream.Stream.of(
                org.junit.jupiter.params.provider.Arguments.of("garbage request line", "GARBAGE\r\n\r\n"),
                org.junit.jupiter.params.provider.Arguments.of("non-numeric Content-Length",
                        "POST /v0/health HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\nConnection: close\r\n\r\n"),
                org.junit.jupiter.params.provider.Arguments.of("broken percent-encoding",
                        "GET /v0/nodes/%zz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"));
    }

    private static void goodHeartbeatSucceeds() {
        ApiClient.Reply good = api.heartbeat(nodeToken, ApiClient.seedHeartbeat(NODE));
        assertEquals(200, good.status(), "a good heartbeat right after: " + good.body());
        assertEquals("ok", good.json().get("status").asText());
        GOOD_HEARTBEATS.incrementAndGet();
    }

    private static HttpResponse<String> send(Bad bad) {
        Map<String, String> headers = new LinkedHashMap<>(bad.headers());
        switch (bad.auth()) {
            case NODE_TOKEN -> headers.put("X-Node-Token", nodeToken);
            case ADMIN_JWT -> headers.put("Authorization", "Bearer " + adminJwt);
            case NONE -> { }
        }
        if (bad.contentType() != null) {
            headers.put("Content-Type", bad.contentType());
        }
        HttpRequest.BodyPublisher body = bad.body() == null ? HttpRequest.BodyPublishers.noBody()
                : bad.chunked() ? HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(bad.body()))
                : HttpRequest.BodyPublishers.ofByteArray(bad.body());
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(api.baseUrl() + bad.path()))
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

    private static JsonNode parse(String body) {
        try {
            return Json.MAPPER.readTree(body);
        } catch (IOException notJson) {
            return null;
        }
    }

    /** A heartbeat body of the test node with {@code more} appended inside the object. */
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
        return raw("heartbeat: " + name, "POST", "/v0/health", Auth.NODE_TOKEN, Map.of(), "application/json",
                bytes(body), false, status, error, field);
    }

    private static Named<Bad> login(String name, String body, int status, String error, String field) {
        return raw(name, "POST", "/v0/auth/login", Auth.NONE, Map.of(), "application/json", bytes(body), false, status,
                error, field);
    }

    private static Named<Bad> register(String name, String body, int status, String error, String field) {
        return raw("register: " + name, "POST", "/v0/nodes", Auth.ADMIN_JWT, Map.of(), "application/json", bytes(body),
                false, status, error, field);
    }

    private static Named<Bad> admin(String name, String method, String path, int status, String error, String field) {
        return raw(name, method, path, Auth.ADMIN_JWT, Map.of(), null, null, false, status, error, field);
    }

    private static Named<Bad> raw(String name, String method, String path, Auth auth, Map<String, String> headers,
                                  String contentType, byte[] body, boolean chunked, int status, String error,
                                  String field) {
        return Named.of(name, new Bad(method, path, auth, headers, contentType, body, chunked, status, error, field));
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
