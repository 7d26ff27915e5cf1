package io.llmlb.health.query.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.llmlb.health.query.auth.Caller;
import io.llmlb.health.query.auth.Role;
import io.llmlb.health.wire.Json;
import io.llmlb.health.wire.NodeState;
import io.llmlb.health.wire.NodeStatus;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code GET /v0/events?ids=…} over a real socket with the node view in memory: a table showing a
 * page of a big fleet hears about its rows and the counts, not about every heartbeat of the fleet.
 */
class NodeEventsHttpTest {

    private static final Instant AT = Instant.parse("2025-01-01T12:00:00Z");
    private static final Duration PATIENCE = Duration.ofSeconds(10);

    private final ApiServer api = new ApiServer(ApiServer.defaults());
    private final String viewer = api.jwt.issue(new Caller("alice", Role.VIEWER));
    private final HttpClient http = HttpClient.newHttpClient();
    private final BlockingQueue<String[]> events = new LinkedBlockingQueue<>();
    private HttpResponse<Stream<String>> stream;

    @AfterEach
    void stop() {
        if (stream != null) {
            stream.body().close();
        }
        api.close();
    }

    @Test
    void aNarrowedStreamCarriesItsNodesAndTheCountsOnly() throws Exception {
        for (int i = 0; i < 50; i++) {
            api.view.put(node("node-" + i, NodeStatus.ONLINE));
        }
        open("/v0/events?ids=node-1,node-2");

        JsonNode snapshot = next("snapshot");
        JsonNode counts = next("counts");
        assertEquals(List.of("node-1", "node-2"), ids(snapshot));
        assertEquals(50, counts.get("states").get("online").asInt());

        // Then: a change to an unwatched node is not sent, a watched one is, and the counts follow.
        api.view.put(node("node-30", NodeStatus.OFFLINE));
        api.view.put(node("node-2", NodeStatus.OFFLINE));
        // The counts come every second and may overtake the node event, or come twice meanwhile.
        List<String> nodeEvents = new ArrayList<>();
        JsonNode recounted = null;
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while ((nodeEvents.isEmpty() || recounted == null || recounted.get("states").get("offline").asInt() < 2)
                && System.nanoTime() < deadline) {
            String[] event = events.poll(100, TimeUnit.MILLISECONDS);
            if (event == null) {
                continue;
            }
            JsonNode data = Json.fromBytes(event[1].getBytes(StandardCharsets.UTF_8), JsonNode.class);
            if (event[0].equals("node")) {
                nodeEvents.add(data.get("id").asText() + " " + data.get("state").asText());
            } else {
                assertEquals("counts", event[0]);
                recounted = data;
            }
        }
        assertEquals(List.of("node-2 offline"), nodeEvents, "node-30 is not on this client's screen");
        assertNotNull(recounted);
        assertEquals(48, recounted.get("states").get("online").asInt());
        assertEquals(2, recounted.get("states").get("offline").asInt());
        api.view.remove("node-1");
        assertEquals("node-1", next("removed").get("id").asText());
    }

    @Test
    void badIdsAre400NamingTheParameter() {
        for (String query : List.of("ids=node-1,,node-2", "ids=../x", "colour=blue")) {
            HttpResponse<String> answer = api.send("GET", "/v0/events?" + query, null,
                    "Authorization", "Bearer " + viewer, "Accept", "text/event-stream");
            assertEquals(400, answer.statusCode(), query + ": " + answer.body());
            String field = query.substring(0, query.indexOf('='));
            assertEquals(field, Json.fromBytes(answer.body().getBytes(StandardCharsets.UTF_8), JsonNode.class)
                    .get("field").asText());
        }
        List<String> many = new ArrayList<>();
        for (int i = 0; i <= EventsService.MAX_WATCHED; i++) {
            many.add("n" + i); // short ids: the request line stays under the server's URI limit (414)
        }
        HttpResponse<String> answer = api.send("GET", "/v0/events?ids=" + String.join(",", many), null,
                "Authorization", "Bearer " + viewer, "Accept", "text/event-stream");
        assertEquals(400, answer.statusCode(), answer.body());
    }

    private void open(String path) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + api.port() + path))
                .header("Authorization", "Bearer " + viewer).header("Accept", "text/event-stream").build();
        stream = http.send(request, HttpResponse.BodyHandlers.ofLines());
        assertEquals(200, stream.statusCode());
        Thread.ofVirtual().start(() -> {
            String[] event = new String[2];
            stream.body().forEach(line -> {
                if (line.startsWith("event:")) {
                    event[0] = line.substring(6).trim();
                } else if (line.startsWith("data:")) {
                    event[1] = line.substring(5).trim();
                } else if (line.isEmpty() && event[0] != null) {
                    events.add(new String[] {event[0], event[1]});
                    event[0] = null;
                    event[1] = null;
                }
            });
        });
    }

    /**
     * The next event, which must be {@code name}; waits at most {@link #PATIENCE}. Counts in between
     * are skipped when another event is expected: they come on their own clock.
     */
    private JsonNode next(String name) throws InterruptedException {
        while (true) {
            String[] event = events.poll(PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
            assertNotNull(event, "no " + name + " event within " + PATIENCE);
            if (event[0].equals("counts") && !name.equals("counts")) {
                continue;
            }
            assertEquals(name, event[0], event[1]);
            return Json.fromBytes(event[1].getBytes(StandardCharsets.UTF_8), JsonNode.class);
        }
    }

    private static List<String> ids(JsonNode snapshot) {
        List<String> ids = new ArrayList<>();
        snapshot.get("nodes").forEach(node -> ids.add(node.get("id").asText()));
        assertTrue(snapshot.has("server_time"));
        return ids;
    }

    private static NodeState node(String id, NodeStatus status) {
        return new NodeState(id, status, true, null, Map.of(), AT, AT, status == NodeStatus.ONLINE ? AT : null, null,
                1, 0, 1, AT, null);
    }
}
