package io.llmlb.health.standalone;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntFunction;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 12 as an attacker saw it, end to end on the real broker: password guessing with fresh user
 * names and 40 guesses at once, one gateway address for every client, enrollment key guessing and
 * key holders filling the fleet, one viewer holding every live stream, API answers a browser could
 * sniff. The stack trusts 127.0.0.1 as its proxy, so each test plays its own client address with
 * {@code X-Forwarded-For} and the tests do not throttle each other.
 */
class HostileClientsTest {

    private static final String ENROLLMENT_KEY = "hostile-clients-enrollment-key";
    private static final int MAX_NODES = 4;
    private static final int MAX_PENDING_ENROLLED = 3;
    private static final int STREAMS_PER_USER = 8;

    @TempDir
    static Path dataDir;

    private static Standalone standalone;
    private static ApiClient api;
    private static String adminJwt;

    @BeforeAll
    static void startStack() throws InterruptedException {
        Map<String, String> env = TestStacks.environment(dataDir);
        env.put("LLMLB_VIEWERS", "viewer:viewer-pass");
        env.put("LLMLB_TRUSTED_PROXIES", "127.0.0.1");
        env.put("LLMLB_ENROLLMENT_KEY", ENROLLMENT_KEY);
        env.put("LLMLB_MAX_NODES", String.valueOf(MAX_NODES));
        env.put("LLMLB_MAX_PENDING_ENROLLED", String.valueOf(MAX_PENDING_ENROLLED));
        standalone = TestStacks.start(env, Duration.ofMinutes(5), Duration.ofSeconds(1));
        api = new ApiClient(standalone.port());
        adminJwt = api.adminJwt();
    }

    @AfterAll
    static void stopStack() {
        if (standalone != null) {
            standalone.close();
        }
    }

    @Test
    void fortySimultaneousGuessesLetAtMostFiveThrough() throws Exception {
        List<Integer> statuses = simultaneously(40, i -> () -> login("viewer", "guess-" + i, "192.0.2.40").status());

        assertEquals(5, statuses.stream().filter(status -> status == 401).count(), statuses.toString());
        assertEquals(35, statuses.stream().filter(status -> status == 429).count(), statuses.toString());
    }

    @Test
    void aLoginFloodFromManyAddressesIsRefusedWith503BeyondThePasswordCheckPool() throws Exception {
        // A botnet behind the gateway: a new name and a new address per guess, so no throttle applies.
        List<ApiClient.Reply> answers = simultaneously(40, i -> () -> login("bot-" + i, "guess", "10.66.0." + i));

        List<ApiClient.Reply> busy = answers.stream().filter(reply -> reply.status() == 503).toList();
        assertTrue(!busy.isEmpty(), "40 password checks at once, 1 thread and 16 waiting: "
                + answers.stream().map(ApiClient.Reply::status).toList());
        assertTrue(answers.stream().allMatch(reply -> reply.status() == 401 || reply.status() == 503),
                answers.stream().map(ApiClient.Reply::status).toList().toString());
        assertEquals("1", busy.getFirst().raw().headers().firstValue("Retry-After").orElse(null));
        assertTrue(busy.getFirst().json().get("error").asText().contains("too many logins in progress"),
                busy.getFirst().body());
        // The queue drains by itself: then logins are checked again.
        await().atMost(Duration.ofSeconds(30))
                .until(() -> login("admin", "test", "10.66.1.1").status() == 200);
    }

    @Test
    void freshUserNamesFromOneAddressAreThrottled() {
        for (int i = 0; i < 20; i++) {
            assertEquals(401, login("stranger-" + i, "guess", "192.0.2.20").status(), "guess " + i);
        }

        ApiClient.Reply refused = login("stranger-20", "guess", "192.0.2.20");

        assertEquals(429, refused.status(), refused.body());
        assertTrue(refused.raw().headers().firstValue("Retry-After").isPresent());
    }

    @Test
    void badLoginsBehindTheGatewayDoNotLockOutTheAdminElsewhere() {
        for (int i = 0; i < 5; i++) {
            assertEquals(401, login("admin", "wrong-" + i, "198.51.100.6").status());
        }

        assertEquals(429, login("admin", "test", "198.51.100.6").status(), "the guessing address waits");
        assertEquals(200, login("admin", "test", "198.51.100.7").status(), "the real admin does not");
    }

    @Test
    void wrongEnrollmentKeysAreThrottled() {
        for (int i = 0; i < 5; i++) {
            assertEquals(401, enroll("wrong-key-guess-" + i, "guessed-node", "203.0.113.5").status(), "guess " + i);
        }

        ApiClient.Reply refused = enroll("wrong-key-guess-5", "guessed-node", "203.0.113.5");

        assertEquals(429, refused.status(), refused.body());
        assertTrue(refused.raw().headers().firstValue("Retry-After").isPresent());
    }

    @Test
    void keyHoldersCannotFillTheFleetBeforeTheAdmin() {
        for (int i = 0; i < MAX_PENDING_ENROLLED; i++) {
            assertEquals(201, enroll(ENROLLMENT_KEY, "enrolled-" + i, "203.0.113.7").status());
        }
        ApiClient.Reply overCap = enroll(ENROLLMENT_KEY, "enrolled-" + MAX_PENDING_ENROLLED, "203.0.113.7");

        assertEquals(409, overCap.status(), overCap.body());
        for (int i = 0; i < MAX_NODES; i++) {
            ApiClient.Reply registered = api.register(adminJwt, "admins-own-" + i);
            assertEquals(201, registered.status(), "the admin registers node " + i + ": " + registered.body());
        }
        assertEquals(409, api.register(adminJwt, "one-too-many").status(), "the fleet limit holds");
    }

    @Test
    void oneViewerCannotHoldEveryLiveStreamAndTheAdminStillGetsOne() throws Exception {
        String viewerJwt = login("viewer", "viewer-pass", "192.0.2.77").json().get("token").asText();
        HttpClient http = HttpClient.newHttpClient();
        List<InputStream> open = new ArrayList<>();
        try {
            for (int i = 0; i < STREAMS_PER_USER; i++) {
                HttpResponse<InputStream> stream = events(http, viewerJwt);
                open.add(stream.body());
                assertEquals(200, stream.statusCode(), "stream " + i);
            }

            HttpResponse<InputStream> oneMore = events(http, viewerJwt);
            open.add(oneMore.body());
            HttpResponse<InputStream> admins = events(http, adminJwt);
            open.add(admins.body());

            // (An open stream's body never ends: read it only when it is a refusal.)
            assertEquals(429, oneMore.statusCode(), "the viewer's stream beyond its cap was answered "
                    + oneMore.statusCode());
            assertTrue(new String(oneMore.body().readAllBytes(), StandardCharsets.UTF_8)
                    .contains("LLMLB_EVENT_STREAMS_PER_USER"));
            assertEquals(200, admins.statusCode());
        } finally {
            for (InputStream stream : open) {
                stream.close();
            }
        }
    }

    @Test
    void apiAnswersForbidContentSniffing() {
        for (ApiClient.Reply reply : List.of(api.nodes(adminJwt), api.nodes("not-a-token"),
                api.send("GET", "/metrics", Map.of(), null))) {
            assertEquals("nosniff", reply.raw().headers().firstValue("X-Content-Type-Options").orElse(null),
                    reply.raw().uri() + " " + reply.status());
        }
    }

    private static ApiClient.Reply login(String username, String password, String clientAddress) {
        return api.send("POST", "/v0/auth/login", Map.of("Content-Type", "application/json",
                "X-Forwarded-For", clientAddress), "{\"username\":\"" + username + "\",\"password\":\"" + password + "\"}");
    }

    private static ApiClient.Reply enroll(String key, String nodeId, String clientAddress) {
        return api.send("POST", "/v0/nodes", Map.of("X-Enrollment-Key", key, "Content-Type", "application/json",
                "X-Forwarded-For", clientAddress), "{\"node_id\":\"" + nodeId + "\"}");
    }

    private static HttpResponse<InputStream> events(HttpClient http, String jwt) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(api.baseUrl() + "/v0/events"))
                .header("Authorization", "Bearer " + jwt)
                .header("Accept", "text/event-stream")
                .build();
        return http.send(request, HttpResponse.BodyHandlers.ofInputStream());
    }

    private static <T> List<T> simultaneously(int count, IntFunction<Callable<T>> call) throws Exception {
        CountDownLatch start = new CountDownLatch(1);
        List<Future<T>> futures = new ArrayList<>();
        try (ExecutorService threads = Executors.newFixedThreadPool(count)) {
            for (int i = 0; i < count; i++) {
                Callable<T> one = call.apply(i);
                futures.add(threads.submit(() -> {
                    start.await();
                    return one.call();
                }));
            }
            start.countDown();
            List<T> results = new ArrayList<>();
            for (Future<T> future : futures) {
                results.add(future.get());
            }
            return results;
        }
    }
}
