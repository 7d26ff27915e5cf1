package io.llmlb.health.ingest.http;

import io.llmlb.health.ingest.InFlightHeartbeats;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.llmlb.health.http.server.GuardedServer;
import io.llmlb.health.http.server.ServerLimits;
import io.llmlb.health.ingest.limit.HeartbeatRateLimit;
import io.llmlb.health.ingest.limit.HeartbeatThrottle;
import io.llmlb.health.wire.Heartbeat;
import io.llmlb.health.wire.NodeTokens;
import io.llmlb.health.wire.Registration;
import io.llmlb.health.wire.RegistryCommand;
import io.llmlb.health.wire.RegistryView;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The per-node heartbeat limit over real HTTP: beyond the burst a node, even a pending,
 * self-enrolled one, gets 429 with Retry-After and a JSON error, and nothing more is written.
 */
class HeartbeatRateLimitHttpTest {

    private static final String TOKEN = "pending-node-token";
    private static final Registration PENDING = new Registration("self-enrolled", NodeTokens.sha256Hex(TOKEN), false,
            "host", Map.of(), Instant.parse("2026-12-01T00:00:00Z"), RegistryCommand.REGISTERED,
            Instant.parse("2026-12-01T00:00:00Z"));

    private final List<Heartbeat> written = new CopyOnWriteArrayList<>();
    private final HttpClient http = HttpClient.newHttpClient();
    private GuardedServer server;

    @BeforeEach
    void start() {
        RegistryView registry = new RegistryView() {
            @Override
            public Optional<Registration> byNodeId(String nodeId) {
                return Optional.of(PENDING).filter(r -> r.nodeId().equals(nodeId));
            }

            @Override
            public Optional<Registration> byTokenHash(String tokenSha256) {
                return Optional.of(PENDING).filter(r -> r.tokenSha256().equals(tokenSha256));
            }

            @Override
            public int size() {
                return 1;
            }

            @Override
            public java.util.Collection<Registration> all() {
                return List.of(PENDING);
            }
        };
        HeartbeatService service = new HeartbeatService(registry, written::add,
                new HeartbeatThrottle(new HeartbeatRateLimit(1, 3), Clock.systemUTC()),
                new InFlightHeartbeats(Clock.systemUTC()));
        server = GuardedServer.start("127.0.0.1", 0, "LLMLB_PORT", ServerLimits.defaults(),
                routing -> routing.register(service), port -> { });
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void pendingNodeBeyondItsBurstGets429WithRetryAfterAndNothingIsWritten() throws Exception {
        for (int i = 0; i < 3; i++) {
            assertEquals(200, heartbeat().statusCode());
        }

        HttpResponse<String> refused = heartbeat();

        assertEquals(429, refused.statusCode(), refused.body());
        long retryAfter = Long.parseLong(refused.headers().firstValue("Retry-After").orElseThrow());
        assertTrue(retryAfter >= 1 && retryAfter <= 60, "Retry-After " + retryAfter);
        assertTrue(refused.headers().firstValue("Content-Type").orElseThrow().startsWith("application/json"));
        assertTrue(refused.body().contains("\"error\":") && refused.body().contains("LLMLB_HEARTBEAT_RATE"),
                refused.body());
        assertEquals(3, written.size());
    }

    private HttpResponse<String> heartbeat() throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/v0/health"))
                .header("X-Node-Token", TOKEN)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"node_id\":\"self-enrolled\"}"))
                .build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }
}
