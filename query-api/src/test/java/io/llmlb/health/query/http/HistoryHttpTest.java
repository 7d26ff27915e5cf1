package io.llmlb.health.query.http;

import io.llmlb.health.wire.Reason;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.helidon.webserver.WebServer;
import io.llmlb.health.http.ErrorHandlers;
import io.llmlb.health.query.auth.Caller;
import io.llmlb.health.query.auth.JwtService;
import io.llmlb.health.query.auth.Role;
import io.llmlb.health.query.auth.UserDirectory;
import io.llmlb.health.query.history.FleetHistory;
import io.llmlb.health.query.history.NodeMetricHistory;
import io.llmlb.health.query.view.DetectorHolds;
import io.llmlb.health.query.view.DetectorHoldsAccess;
import io.llmlb.health.query.view.NodeView;
import io.llmlb.health.wire.GpuMetrics;
import io.llmlb.health.wire.Json;
import io.llmlb.health.wire.NodeMetrics;
import io.llmlb.health.wire.NodeState;
import io.llmlb.health.wire.NodeStatus;
import io.llmlb.health.wire.StateChange;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The history and overview routes over a real socket with the histories and the node view in
 * memory: who may read them, what they answer, and the 400/404 JSON for bad ids and parameters.
 */
class HistoryHttpTest {

    private static final Instant NOW = Instant.parse("2026-12-01T12:30:00Z");

    private final Clock clock = Clock.fixed(NOW, java.time.ZoneOffset.UTC);
    private final HttpClient http = HttpClient.newHttpClient();
    private WebServer server;
    private String token;

    @BeforeEach
    void start() {
        JwtService jwt = new JwtService(ApiServer.SECRET, Duration.ofHours(1), clock);
        Authenticator auth = new Authenticator(jwt, new UserDirectory(List.of(ApiServer.Users.ALICE)));
        token = jwt.issue(new Caller("alice", Role.VIEWER));
        NodeState node = new NodeState("node-1", NodeStatus.ONLINE, true, null, Map.of(), NOW, NOW.minusSeconds(5),
                NOW.minusSeconds(600), NOW.plusSeconds(25), 7, 0, 2, NOW.minusSeconds(600),
                new NodeMetrics(new GpuMetrics(45.5, 78.2, 65.0), null, 2, List.of()));
        NodeView reader = new NodeView();
        reader.markCaughtUp();
        reader.put(node);
        FleetHistory fleet = new FleetHistory(clock);
        fleet.onTransition(new StateChange("node-1", NodeStatus.PENDING, NodeStatus.ONLINE, Reason.APPROVED,
                NOW.minusSeconds(600), null, 2));
        NodeMetricHistory nodes = new NodeMetricHistory(clock);
        nodes.record(node);
        StateChange approved = new StateChange("node-1", NodeStatus.PENDING, NodeStatus.ONLINE, Reason.APPROVED,
                NOW.minusSeconds(600), null, 2);
        DetectorHolds holds = DetectorHoldsAccess.holding(NOW.minusSeconds(60), 26, NOW.plusSeconds(240));
        server = WebServer.builder().host("127.0.0.1").port(0).shutdownHook(false)
                .directHandlers(ErrorHandlers.directHandlers())
                .routing(routing -> {
                    ErrorHandlers.install(routing);
                    routing.register(new HistoryService(auth, reader, id -> List.of(approved), fleet, nodes, clock),
                            new OverviewService(auth, holds::summary, URI.create("https://grafana.example/d/x")));
                })
                .build().start();
    }

    @AfterEach
    void stop() {
        server.stop();
    }

    @Test
    void everyRouteNeedsALoggedInUser() {
        for (String path : List.of("/v0/history/fleet", "/v0/nodes/node-1/history", "/v0/overview")) {
            assertEquals(401, get(path, null).statusCode(), path);
        }
    }

    @Test
    void fleetHistoryAnswersTheHourInAlignedLists() {
        JsonNode fleet = json(get("/v0/history/fleet", token));

        assertEquals(FleetHistory.SLOTS, fleet.get("at").size());
        assertEquals(FleetHistory.SLOTS, fleet.get("online").size());
        assertEquals(1, fleet.get("online").get(FleetHistory.SLOTS - 1).asInt());
        assertEquals(0, fleet.get("online").get(0).asInt(), "before the approval");
        assertTrue(fleet.get("heartbeats_per_second").get(0).isNull(), "before this process started: unknown");
        // 12:29:00 to 12:30:00: six whole slots and the one just begun.
        assertEquals(7, json(get("/v0/history/fleet?minutes=1", token)).get("at").size());
    }

    @Test
    void nodeHistoryHasItsMetricsAndTransitions() {
        JsonNode node = json(get("/v0/nodes/node-1/history", token));

        assertEquals("node-1", node.get("node_id").asText());
        assertEquals(45.5, node.get("gpu").get(0).asDouble());
        assertEquals(2, node.get("active_requests").get(0).asInt());
        assertEquals("approved", node.get("transitions").get(0).get("reason").asText());
    }

    @Test
    void badIdsAndParametersAreJsonErrors() {
        HttpResponse<String> unknown = get("/v0/nodes/nobody/history", token);
        HttpResponse<String> badId = get("/v0/nodes/not%20an%20id/history", token);
        HttpResponse<String> badMinutes = get("/v0/history/fleet?minutes=61", token);
        HttpResponse<String> notANumber = get("/v0/nodes/node-1/history?minutes=lots", token);

        assertEquals(404, unknown.statusCode(), unknown.body());
        assertTrue(json(unknown).get("error").asText().contains("nobody"), unknown.body());
        assertEquals(400, badId.statusCode(), badId.body());
        assertEquals(400, badMinutes.statusCode(), badMinutes.body());
        assertTrue(json(badMinutes).get("error").asText().contains("minutes"), badMinutes.body());
        assertEquals(400, notANumber.statusCode(), notANumber.body());
    }

    @Test
    void overviewSaysWhatIsHeldAndWhereGrafanaIs() {
        JsonNode overview = json(get("/v0/overview", token));

        assertTrue(overview.get("detector").get("holding").asBoolean());
        assertEquals(26, overview.get("detector").get("held_nodes").asInt());
        assertEquals("2026-12-01T12:29:00Z", overview.get("detector").get("since").asText());
        assertEquals("2026-12-01T12:34:00Z", overview.get("detector").get("until_at_most").asText());
        assertEquals("https://grafana.example/d/x", overview.get("grafana_url").asText());
    }

    private HttpResponse<String> get(String path, String bearer) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path));
        if (bearer != null) {
            request.header("Authorization", "Bearer " + bearer);
        }
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static JsonNode json(HttpResponse<String> response) {
        try {
            return Json.MAPPER.readTree(response.body());
        } catch (Exception e) {
            throw new IllegalStateException(response.body(), e);
        }
    }
}
