package io.llmlb.health.query.http;

import static io.llmlb.health.query.http.NodesServiceHttpTest.assertJsonError;
import static io.llmlb.health.query.http.NodesServiceHttpTest.parse;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.llmlb.health.query.auth.Caller;
import io.llmlb.health.query.auth.Role;
import io.llmlb.health.wire.NodeState;
import io.llmlb.health.wire.NodeStatus;
import io.llmlb.health.wire.NodeSupervision;
import io.llmlb.health.wire.Registration;
import io.llmlb.health.wire.RegistryCommand;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Maintenance and per-node timeouts over a real socket, registry and view in memory: what an admin
 * writes to the registry, who may, and bad requests (400 naming {@code timeout_secs}, 404 for an
 * unknown node). The real-broker counterpart is the standalone module's MaintenanceTest.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class NodeSupervisionHttpTest {

    private ApiServer api;
    private String adminJwt;
    private String viewerJwt;

    @BeforeAll
    void start() {
        api = new ApiServer(ApiServer.defaults());
        adminJwt = api.jwt.issue(new Caller("admin", Role.ADMIN));
        viewerJwt = api.jwt.issue(new Caller("alice", Role.VIEWER));
        for (String id : new String[] {"maint-1", "timed-1", "untouched"}) {
            assertEquals(201, send("POST", "/v0/nodes", "{\"node_id\":\"" + id + "\"}", adminJwt).statusCode());
        }
    }

    @AfterAll
    void stop() {
        api.close();
    }

    @Test
    void adminPutsANodeInMaintenanceAndTakesItOutThroughTheRegistry() {
        HttpResponse<String> start = send("POST", "/v0/nodes/maint-1/maintenance", null, adminJwt);
        assertEquals(200, start.statusCode(), start.body());
        assertEquals("maint-1", parse(start.body()).path("node_id").asText());
        assertTrue(parse(start.body()).path("maintenance").asBoolean());
        Registration started = api.registry.byNodeId("maint-1").orElseThrow();
        assertTrue(started.maintenance());
        assertEquals(RegistryCommand.MAINTENANCE_STARTED, started.command());

        HttpResponse<String> end = send("DELETE", "/v0/nodes/maint-1/maintenance", null, adminJwt);
        assertEquals(200, end.statusCode(), end.body());
        assertFalse(parse(end.body()).path("maintenance").asBoolean(true));
        assertEquals(RegistryCommand.MAINTENANCE_ENDED, api.registry.byNodeId("maint-1").orElseThrow().command());
    }

    @Test
    void adminSetsANodesTimeoutAndGoesBackToTheFleets() {
        HttpResponse<String> set = send("PUT", "/v0/nodes/timed-1/timeout", "{\"timeout_secs\": 120}", adminJwt);
        assertEquals(200, set.statusCode(), set.body());
        assertEquals(120, parse(set.body()).path("timeout_secs").asInt());
        assertEquals(120, api.registry.byNodeId("timed-1").orElseThrow().timeoutSecs());
        assertEquals(RegistryCommand.TIMEOUT_SET, api.registry.byNodeId("timed-1").orElseThrow().command());

        HttpResponse<String> cleared = send("DELETE", "/v0/nodes/timed-1/timeout", null, adminJwt);
        assertEquals(200, cleared.statusCode(), cleared.body());
        assertTrue(parse(cleared.body()).path("timeout_secs").isNull());
        assertEquals(0, api.registry.byNodeId("timed-1").orElseThrow().timeoutSecs());
    }

    static Stream<Arguments> badTimeouts() {
        return Stream.of(
                Arguments.of("{\"timeout_secs\": 29}", 400, "from 30 to 300, not 29", "timeout_secs"),
                Arguments.of("{\"timeout_secs\": 301}", 400, "from 30 to 300, not 301", "timeout_secs"),
                Arguments.of("{\"timeout_secs\": 60.5}", 400, "whole number", "timeout_secs"),
                Arguments.of("{\"timeout_secs\": \"60\"}", 400, "not a string", "timeout_secs"),
                Arguments.of("{\"timeout_secs\": null}", 400, "is required", "timeout_secs"),
                Arguments.of("{}", 400, "is required", "timeout_secs"),
                Arguments.of("{\"timeout_secs\": ", 400, "malformed JSON", null));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badTimeouts")
    void badTimeoutIsRefusedNamingTheFieldAndWritesNothing(String body, int status, String error, String field) {
        Registration before = api.registry.byNodeId("untouched").orElseThrow();

        assertJsonError(send("PUT", "/v0/nodes/untouched/timeout", body, adminJwt), status, error, field);
        assertEquals(before, api.registry.byNodeId("untouched").orElseThrow());
    }

    static Stream<Arguments> supervisionActions() {
        return Stream.of(
                Arguments.of("POST", "/maintenance", null),
                Arguments.of("DELETE", "/maintenance", null),
                Arguments.of("PUT", "/timeout", "{\"timeout_secs\": 60}"),
                Arguments.of("DELETE", "/timeout", null));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("supervisionActions")
    void unknownNodeIs404(String method, String action, String body) {
        assertJsonError(send(method, "/v0/nodes/no-such-node" + action, body, adminJwt), 404, "not registered", null);
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("supervisionActions")
    void viewerGets403AndNoTokenGets401(String method, String action, String body) {
        Registration before = api.registry.byNodeId("untouched").orElseThrow();

        assertJsonError(send(method, "/v0/nodes/untouched" + action, body, viewerJwt), 403, "admin role", null);
        assertJsonError(send(method, "/v0/nodes/untouched" + action, body, null), 401, "Bearer", null);
        assertEquals(before, api.registry.byNodeId("untouched").orElseThrow(), "nothing written");
    }

    @Test
    void nodeListShowsSupervisionAndFiltersByFlag() {
        Instant now = Instant.parse("2026-12-01T10:00:00Z");
        NodeState shown = new NodeState("shown-1", NodeStatus.ONLINE, true, null, Map.of(), now, now, now, null, 3, 0,
                3, now, null).withSupervision(new NodeSupervision(true, 120, 45, false, true, 5, now, now));
        api.view.put(shown);

        HttpResponse<String> list = send("GET", "/v0/nodes?flag=maintenance,flapping", null, viewerJwt);
        assertEquals(200, list.statusCode(), list.body());
        JsonNode nodes = parse(list.body()).path("nodes");
        assertEquals(1, nodes.size(), list.body());
        JsonNode node = nodes.get(0);
        assertEquals("shown-1", node.path("id").asText());
        assertTrue(node.path("maintenance").asBoolean());
        assertTrue(node.path("flapping").asBoolean());
        assertEquals(120, node.path("timeout_secs").asInt());
        assertEquals(45, node.path("heartbeat_interval_secs").asInt());
        assertFalse(node.path("interval_exceeds_timeout").asBoolean(true));

        assertEquals(0, parse(send("GET", "/v0/nodes?flag=interval_exceeds_timeout", null, viewerJwt).body())
                .path("nodes").size());
        assertJsonError(send("GET", "/v0/nodes?flag=online", null, viewerJwt), 400, "flag must be", "flag");
    }

    private HttpResponse<String> send(String method, String path, String body, String jwt) {
        return jwt == null
                ? api.send(method, path, body, "Content-Type", "application/json")
                : api.send(method, path, body, "Authorization", "Bearer " + jwt, "Content-Type", "application/json");
    }
}
