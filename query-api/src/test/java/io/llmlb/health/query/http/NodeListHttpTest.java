package io.llmlb.health.query.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.llmlb.health.query.auth.Caller;
import io.llmlb.health.query.auth.Role;
import io.llmlb.health.wire.GpuMetrics;
import io.llmlb.health.wire.Json;
import io.llmlb.health.wire.NodeMetrics;
import io.llmlb.health.wire.NodeState;
import io.llmlb.health.wire.NodeStatus;
import io.llmlb.health.wire.SystemMetrics;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code GET /v0/nodes} for big fleets and {@code GET /v0/nodes/summary}, over a real socket with the
 * node view in memory: the seed's answer without parameters, filters, pages with an opaque cursor,
 * fields, and a 400 naming each bad parameter.
 */
class NodeListHttpTest {

    private static final Instant AT = Instant.parse("2025-01-01T12:00:00Z");

    private final ApiServer api = new ApiServer(ApiServer.defaults());
    private final String viewer = api.jwt.issue(new Caller("alice", Role.VIEWER));

    @AfterEach
    void stop() {
        api.close();
    }

    @Test
    void noParameterIsTheSeedsAnswerWithEveryNodeAndField() {
        api.view.put(node("node-2", NodeStatus.OFFLINE, "gpu-b"));
        api.view.put(withFigures(node("node-1", NodeStatus.ONLINE, "gpu-a")));

        JsonNode answer = get("/v0/nodes");

        assertEquals(List.of("nodes"), fieldNames(answer), "no next, no counts: the seed's shape");
        JsonNode first = answer.get("nodes").get(0);
        assertEquals("node-1", first.get("id").asText());
        assertEquals("online", first.get("state").asText());
        assertEquals("2025-01-01T12:00:00Z", first.get("last_seen").asText());
        assertEquals(List.of("id", "state", "last_seen"), fieldNames(first).subList(0, 3), "the seed's fields first");
        assertEquals(45.5, first.get("gpu_metrics").get("usage").asDouble());
        assertTrue(first.get("gpu_metrics").get("temperature").isNull(), "an absent figure stays null");
        assertEquals(30.0, first.get("system_metrics").get("cpu_usage").asDouble());
        assertEquals(2, first.get("active_requests").asInt());
        assertEquals("llama-3.2-1b", first.get("loaded_models").get(0).asText());
        assertEquals("zone-a", first.get("labels").get("zone").asText());
        JsonNode second = answer.get("nodes").get(1);
        assertEquals("node-2", second.get("id").asText());
        assertTrue(second.get("gpu_metrics").isNull());
        assertTrue(second.get("uptime_seconds").isNull(), "no uptime while offline");
    }

    @Test
    void pagesFollowTheCursorThroughEveryNodeOnceInIdOrder() {
        for (int i = 0; i < 25; i++) {
            api.view.put(node(String.format("node-%03d", i), NodeStatus.ONLINE, null));
        }
        List<String> seen = new ArrayList<>();
        String path = "/v0/nodes?limit=10&fields=state";
        int pages = 0;
        while (path != null) {
            JsonNode page = get(path);
            page.get("nodes").forEach(node -> seen.add(node.get("id").asText()));
            assertEquals(List.of("id", "state"), fieldNames(page.get("nodes").get(0)), "id is always shown");
            JsonNode next = page.get("next");
            path = next.isNull() ? null : "/v0/nodes?limit=10&fields=state&after=" + next.asText();
            pages++;
        }
        assertEquals(3, pages);
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            expected.add(String.format("node-%03d", i));
        }
        assertEquals(expected, seen);
    }

    @Test
    void aNodeAddedBehindTheCursorDoesNotShiftThePages() {
        for (int i = 0; i < 4; i++) {
            api.view.put(node("node-" + i, NodeStatus.ONLINE, null));
        }
        JsonNode first = get("/v0/nodes?limit=2");
        api.view.put(node("node-0a", NodeStatus.ONLINE, null));

        JsonNode second = get("/v0/nodes?limit=2&after=" + first.get("next").asText());

        assertEquals(List.of("node-2", "node-3"), ids(second));
        assertTrue(second.get("next").isNull());
    }

    @Test
    void descendingOrderPagesBackwards() {
        for (int i = 0; i < 5; i++) {
            api.view.put(node("node-" + i, NodeStatus.ONLINE, null));
        }
        JsonNode first = get("/v0/nodes?limit=3&sort=-id");
        JsonNode second = get("/v0/nodes?limit=3&sort=-id&after=" + first.get("next").asText());

        assertEquals(List.of("node-4", "node-3", "node-2"), ids(first));
        assertEquals(List.of("node-1", "node-0"), ids(second));
    }

    @Test
    void stateAndPrefixFilterByIdOrMachineName() {
        api.view.put(node("rack1-a", NodeStatus.ONLINE, "gpu-host-1"));
        api.view.put(node("rack1-b", NodeStatus.OFFLINE, "gpu-host-2"));
        api.view.put(node("rack2-a", NodeStatus.ONLINE, "cpu-host-3"));
        api.view.put(node("rack2-b", NodeStatus.PENDING, "gpu-host-4"));

        assertEquals(List.of("rack1-a", "rack1-b"), ids(get("/v0/nodes?q=rack1")));
        assertEquals(List.of("rack1-a", "rack1-b", "rack2-b"), ids(get("/v0/nodes?q=gpu-host")));
        assertEquals(List.of("rack1-a", "rack2-a"), ids(get("/v0/nodes?state=online")));
        assertEquals(List.of("rack1-b", "rack2-b"), ids(get("/v0/nodes?state=offline,pending")));
        assertEquals(List.of("rack1-a"), ids(get("/v0/nodes?state=online&q=gpu")));
        JsonNode none = get("/v0/nodes?q=nothing-like-this");
        assertEquals(List.of(), ids(none));
        assertTrue(none.get("next").isNull());
    }

    @Test
    void summaryCountsNodesPerStateAsTheyChange() {
        api.view.put(node("node-1", NodeStatus.ONLINE, null));
        api.view.put(node("node-2", NodeStatus.ONLINE, null));
        api.view.put(node("node-3", NodeStatus.PENDING, null));
        api.view.put(node("node-2", NodeStatus.OFFLINE, null));
        api.view.remove("node-3");

        JsonNode summary = get("/v0/nodes/summary");

        assertEquals(2, summary.get("total").asInt());
        assertEquals(1, summary.get("states").get("online").asInt());
        assertEquals(1, summary.get("states").get("offline").asInt());
        assertEquals(0, summary.get("states").get("pending").asInt());
    }

    @Test
    void aFullListIsStreamedNotBuiltWhole() {
        for (int i = 0; i < 20_000; i++) {
            api.view.put(node(String.format("node-%05d", i), NodeStatus.ONLINE, null));
        }

        HttpResponse<String> answer = api.send("GET", "/v0/nodes", null, "Authorization", "Bearer " + viewer);

        assertEquals(200, answer.statusCode());
        // A whole answer in memory would be sent with its length; a streamed one comes in chunks.
        assertEquals("chunked", answer.headers().firstValue("Transfer-Encoding").orElse(null));
        assertFalse(answer.headers().firstValue("Content-Length").isPresent());
        assertEquals(20_000, Json.fromBytes(answer.body().getBytes(StandardCharsets.UTF_8), JsonNode.class)
                .get("nodes").size());
    }

    @Test
    void aSmallPageIsSentWholeWithItsLengthAndABigOneIsStreamed() {
        for (int i = 0; i < 3_000; i++) {
            api.view.put(node(String.format("node-%05d", i), NodeStatus.ONLINE, null));
        }

        HttpResponse<String> small = api.send("GET", "/v0/nodes?limit=" + NodesService.WHOLE_PAGE_LIMIT, null,
                "Authorization", "Bearer " + viewer);
        HttpResponse<String> big = api.send("GET", "/v0/nodes?limit=" + (NodesService.WHOLE_PAGE_LIMIT + 1), null,
                "Authorization", "Bearer " + viewer);

        // Sent whole, with its length: one answer, no chunk framing.
        assertEquals(200, small.statusCode());
        assertEquals(String.valueOf(small.body().getBytes(StandardCharsets.UTF_8).length),
                small.headers().firstValue("Content-Length").orElse(null));
        assertFalse(small.headers().firstValue("Transfer-Encoding").isPresent());
        JsonNode smallPage = Json.fromBytes(small.body().getBytes(StandardCharsets.UTF_8), JsonNode.class);
        assertEquals(NodesService.WHOLE_PAGE_LIMIT, smallPage.get("nodes").size());
        assertEquals("node-00999", smallPage.get("nodes").get(NodesService.WHOLE_PAGE_LIMIT - 1).get("id").asText());
        assertTrue(smallPage.get("next").isTextual(), "more nodes follow the page");
        assertEquals(200, big.statusCode());
        assertEquals("chunked", big.headers().firstValue("Transfer-Encoding").orElse(null));
        assertEquals(NodesService.WHOLE_PAGE_LIMIT + 1, Json.fromBytes(big.body().getBytes(StandardCharsets.UTF_8),
                JsonNode.class).get("nodes").size());
    }

    @Test
    void aStreamedListLeavesInChunksOfTensOfKilobytesNotJacksonsEightThousandBytes() throws Exception {
        for (int i = 0; i < 3_000; i++) {
            api.view.put(node(String.format("node-%05d", i), NodeStatus.ONLINE, null));
        }

        List<Integer> chunks = chunkSizes("/v0/nodes");

        // About 900 KB: every chunk but the last gathers several of Jackson's 8,000-byte writes, so
        // the list takes a few dozen socket writes (each a packet with TCP_NODELAY), not over a hundred.
        assertTrue(chunks.size() > 2, "chunks: " + chunks);
        assertTrue(chunks.subList(0, chunks.size() - 1).stream().allMatch(size -> size > 32 * 1024),
                "chunks: " + chunks);
    }

    /** The chunk sizes of a chunked answer to {@code path}, read off a raw socket. */
    private List<Integer> chunkSizes(String path) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", api.port())) {
            socket.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: test\r\nAuthorization: Bearer " + viewer
                    + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            DataInputStream in = new DataInputStream(
                    new BufferedInputStream(socket.getInputStream()));
            String line;
            while (!(line = readLine(in)).isEmpty()) {
                // headers
            }
            List<Integer> sizes = new ArrayList<>();
            int size;
            while ((size = Integer.parseInt(readLine(in).trim(), 16)) > 0) {
                sizes.add(size);
                in.readFully(new byte[size]);
                readLine(in);
            }
            return sizes;
        }
    }

    private static String readLine(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        int b;
        while ((b = in.read()) != '\n') {
            if (b < 0) {
                throw new EOFException("answer ended inside a line: " + line);
            }
            if (b != '\r') {
                line.append((char) b);
            }
        }
        return line.toString();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "state=sleeping               | state",
        "state=online,                | state",
        "limit=0                      | limit",
        "limit=5001                   | limit",
        "limit=ten                    | limit",
        "after=not-a-cursor!          | after",
        "after=bm9kZS0x               | after",
        "fields=id,password           | fields",
        "sort=last_seen               | sort",
        "colour=blue                  | colour",
        "limit=1&limit=2              | limit",
    })
    void badParametersAre400NamingTheField(String query, String field) {
        HttpResponse<String> answer = api.send("GET", "/v0/nodes?" + query, null, "Authorization", "Bearer " + viewer);

        assertEquals(400, answer.statusCode(), answer.body());
        assertEquals("application/json", answer.headers().firstValue("Content-Type").orElse(null));
        JsonNode error = Json.fromBytes(answer.body().getBytes(StandardCharsets.UTF_8), JsonNode.class);
        assertEquals(field, error.get("field").asText(), answer.body());
    }

    @Test
    void aCursorOfOneSortOrderIsRefusedInTheOther() {
        api.view.put(node("node-1", NodeStatus.ONLINE, null));
        api.view.put(node("node-2", NodeStatus.ONLINE, null));
        String cursor = get("/v0/nodes?limit=1").get("next").asText();

        HttpResponse<String> answer = api.send("GET", "/v0/nodes?limit=1&sort=-id&after=" + cursor, null,
                "Authorization", "Bearer " + viewer);

        assertEquals(400, answer.statusCode());
        assertTrue(answer.body().contains("\"after\""), answer.body());
    }

    @Test
    void listAndSummaryNeedALogin() {
        assertEquals(401, api.send("GET", "/v0/nodes?limit=1", null).statusCode());
        assertEquals(401, api.send("GET", "/v0/nodes/summary", null).statusCode());
    }

    @Test
    void noNodeMayBeCalledSummary() {
        String admin = api.jwt.issue(new Caller("admin", Role.ADMIN));

        HttpResponse<String> answer = api.send("POST", "/v0/nodes", "{\"node_id\":\"summary\"}",
                "Authorization", "Bearer " + admin, "Content-Type", "application/json");

        assertEquals(400, answer.statusCode());
        assertTrue(answer.body().contains("\"node_id\""), answer.body());
    }

    @Test
    void oneNodeShowsItsFieldsAndTransitions() {
        api.view.put(withFigures(node("node-1", NodeStatus.ONLINE, "gpu-a")));

        JsonNode detail = get("/v0/nodes/node-1");

        assertEquals("node-1", detail.get("id").asText());
        assertEquals(78.2, detail.get("gpu_metrics").get("vram_usage").asDouble());
        assertTrue(detail.get("transitions").isArray());
        assertEquals(404, api.send("GET", "/v0/nodes/node-9", null, "Authorization", "Bearer " + viewer)
                .statusCode());
    }

    private JsonNode get(String path) {
        HttpResponse<String> answer = api.send("GET", path, null, "Authorization", "Bearer " + viewer);
        assertEquals(200, answer.statusCode(), path + ": " + answer.body());
        return Json.fromBytes(answer.body().getBytes(StandardCharsets.UTF_8), JsonNode.class);
    }

    private static List<String> ids(JsonNode page) {
        List<String> ids = new ArrayList<>();
        page.get("nodes").forEach(node -> ids.add(node.get("id").asText()));
        return ids;
    }

    private static List<String> fieldNames(JsonNode object) {
        List<String> names = new ArrayList<>();
        object.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static NodeState node(String id, NodeStatus status, String machineName) {
        boolean online = status == NodeStatus.ONLINE;
        return new NodeState(id, status, status != NodeStatus.PENDING, machineName, Map.of("zone", "zone-a"), AT, AT,
                online ? AT : null, null, 10, 0, 1, AT, null);
    }

    private static NodeState withFigures(NodeState node) {
        return node.withHeartbeat(AT, new NodeMetrics(new GpuMetrics(45.5, 78.2, null), new SystemMetrics(30.0, 50.0),
                2, List.of("llama-3.2-1b")));
    }
}
