package io.llmlb.health.query.http;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.llmlb.health.http.ApiException;
import io.llmlb.health.http.JsonHttp;
import io.llmlb.health.http.StreamedBody;
import io.llmlb.health.query.admin.NodeAdmin;
import io.llmlb.health.query.view.NodeEntry;
import io.llmlb.health.query.view.NodeView;
import io.llmlb.health.query.view.TransitionLog;
import io.llmlb.health.wire.NodeIds;
import io.llmlb.health.wire.NodeStatus;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code /v0/nodes}: list and read nodes (any logged-in user), register (admin, or a node with the
 * enrollment key), approve, disconnect, delete and rotate tokens (admin).
 *
 * <p>A full list, and a page of more than {@value #WHOLE_PAGE_LIMIT} nodes, is written to the socket
 * as the view is walked ({@link NodeListQuery} says which nodes and fields), so it costs one node's
 * worth of memory at a time whatever the fleet's size; a smaller page is built whole and sent in
 * one piece with its length.
 */
public final class NodesService implements HttpService {

    private static final int MAX_TEXT = 256;
    /** Pages of up to this many nodes (about 0.6 MB at most) are built whole and sent with their length. */
    static final int WHOLE_PAGE_LIMIT = 1000;
    private static final int PAGE_BYTES_GUESS = 64 * 1024;
    private static final int MAX_LABELS = 64;
    /** {@code GET /v0/nodes/summary} is the counts, so no node may be called that. */
    static final String SUMMARY = "summary";

    private final Authenticator auth;
    private final NodeView view;
    private final NodeAdmin admin;
    private final TransitionLog transitions;
    private final EnrollmentKeyCheck enrollment;
    private final Clock clock;

    public NodesService(Authenticator auth, NodeView view, TransitionLog transitions, NodeAdmin admin,
                        EnrollmentKeyCheck enrollment, Clock clock) {
        this.auth = auth;
        this.view = view;
        this.transitions = transitions;
        this.admin = admin;
        this.enrollment = enrollment;
        this.clock = clock;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/v0/nodes", this::list)
                .post("/v0/nodes", this::register)
                .get("/v0/nodes/" + SUMMARY, this::summary)
                .get("/v0/nodes/{id}", this::detail)
                .delete("/v0/nodes/{id}", this::delete)
                .post("/v0/nodes/{id}/approve", this::approve)
                .post("/v0/nodes/{id}/disconnect", this::disconnect)
                .post("/v0/nodes/{id}/token", this::rotateToken);
    }

    private void list(ServerRequest request, ServerResponse response) {
        auth.caller(request);
        NodeListQuery query = NodeListQuery.parse(request.query().toMap());
        // q matches machine names too, so the walk is over every node in id order, filtered; a page
        // stops as soon as it is full, and even a rare match costs one pass over the view.
        Iterator<NodeEntry> nodes = view.from(query.afterId(), query.descending());
        Instant now = clock.instant();
        response.status(Status.OK_200);
        response.header(HeaderNames.CONTENT_TYPE, "application/json");
        response.header(HeaderNames.X_CONTENT_TYPE_OPTIONS, JsonHttp.NO_SNIFF);
        response.header(HeaderNames.CACHE_CONTROL, "no-store");
        try {
            if (query.limit() > 0 && query.limit() <= WHOLE_PAGE_LIMIT) {
                // A small page is built whole and sent with its length: one answer, no chunk framing.
                ByteArrayOutputStream page = new ByteArrayOutputStream(PAGE_BYTES_GUESS);
                writeList(page, query, nodes, now);
                response.send(page.toByteArray());
            } else {
                try (OutputStream out = StreamedBody.of(response)) {
                    writeList(out, query, nodes, now);
                }
            }
        } catch (IOException e) {
            // The client went away mid-list: nothing left to answer.
            throw new UncheckedIOException(e);
        }
    }

    private static void writeList(OutputStream out, NodeListQuery query, Iterator<NodeEntry> nodes, Instant now)
            throws IOException {
        try (JsonGenerator json = NodeJson.generator(out)) {
            json.writeStartObject();
            json.writeArrayFieldStart("nodes");
            String last = null;
            int written = 0;
            boolean more = false;
            while (nodes.hasNext()) {
                NodeEntry node = nodes.next();
                if (!query.matches(node)) {
                    continue;
                }
                if (query.limit() > 0 && written == query.limit()) {
                    more = true;
                    break;
                }
                NodeJson.write(json, node, now, query.fields());
                last = node.nodeId();
                written++;
            }
            json.writeEndArray();
            if (query.paged()) {
                json.writeStringField("next", more ? query.cursorAfter(last) : null);
            }
            json.writeEndObject();
        }
    }

    private void summary(ServerRequest request, ServerResponse response) {
        auth.caller(request);
        byte[] answer = EventsService.countsJson(view.counts());
        response.status(Status.OK_200);
        response.header(HeaderNames.CONTENT_TYPE, "application/json");
        response.header(HeaderNames.X_CONTENT_TYPE_OPTIONS, JsonHttp.NO_SNIFF);
        response.header(HeaderNames.CACHE_CONTROL, "no-store");
        response.send(answer);
    }

    private void detail(ServerRequest request, ServerResponse response) {
        auth.caller(request);
        String id = pathId(request);
        NodeEntry node = view.find(id).orElseThrow(() -> ApiException.notFound("node " + id + " is not known"));
        response.status(Status.OK_200);
        response.header(HeaderNames.CONTENT_TYPE, "application/json");
        response.header(HeaderNames.X_CONTENT_TYPE_OPTIONS, JsonHttp.NO_SNIFF);
        response.header(HeaderNames.CACHE_CONTROL, "no-store");
        response.send(NodeJson.detail(node, clock.instant(), transitions.recent(id)));
    }

    private void register(ServerRequest request, ServerResponse response) {
        boolean selfEnrolled = enrollment.presented(request);
        if (!selfEnrolled) {
            auth.admin(request);
        }
        ObjectNode body = JsonHttp.readOptionalObject(request);
        String nodeId = optionalText(body, "node_id");
        if (nodeId != null) {
            NodeIds.require("node_id", nodeId);
            if (nodeId.equals(SUMMARY)) {
                throw ApiException.badRequest("node_id", "node_id " + SUMMARY + " is reserved (GET /v0/nodes/"
                        + SUMMARY + " is the counts per state)");
            }
        }
        NodeAdmin.IssuedToken issued = admin.register(nodeId, optionalText(body, "machine_name"), labels(body),
                selfEnrolled);
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("node_id", issued.nodeId());
        answer.put("state", NodeStatus.PENDING.wireName());
        answer.put("node_token", issued.nodeToken());
        JsonHttp.send(response, Status.CREATED_201, answer);
    }

    private void approve(ServerRequest request, ServerResponse response) {
        auth.admin(request);
        String id = pathId(request);
        sendState(response, id, admin.approve(id).wireName());
    }

    private void disconnect(ServerRequest request, ServerResponse response) {
        auth.admin(request);
        String id = pathId(request);
        sendState(response, id, admin.disconnect(id).wireName());
    }

    private void delete(ServerRequest request, ServerResponse response) {
        auth.admin(request);
        String id = pathId(request);
        admin.delete(id);
        sendState(response, id, "removed");
    }

    private void rotateToken(ServerRequest request, ServerResponse response) {
        auth.admin(request);
        String id = pathId(request);
        NodeAdmin.IssuedToken issued = admin.rotateToken(id);
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("node_id", issued.nodeId());
        answer.put("state", view.find(id).map(node -> node.state().wireName()).orElse(null));
        answer.put("node_token", issued.nodeToken());
        JsonHttp.send(response, Status.OK_200, answer);
    }

    private static void sendState(ServerResponse response, String id, String state) {
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("node_id", id);
        answer.put("state", state);
        JsonHttp.send(response, Status.OK_200, answer);
    }

    static String pathId(ServerRequest request) {
        return NodeIds.require("id", request.path().pathParameters().get("id"));
    }

    private static String optionalText(ObjectNode body, String field) {
        JsonNode node = body.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isTextual()) {
            throw ApiException.badRequest(field, field + " must be a string, not " + JsonHttp.describe(node));
        }
        if (node.textValue().length() > MAX_TEXT) {
            throw ApiException.badRequest(field, field + " is longer than " + MAX_TEXT + " characters");
        }
        return node.textValue();
    }

    private static Map<String, String> labels(ObjectNode body) {
        JsonNode node = body.get("labels");
        if (node == null || node.isNull()) {
            return Map.of();
        }
        if (!node.isObject()) {
            throw ApiException.badRequest("labels", "labels must be an object of strings, not " + JsonHttp.describe(node));
        }
        if (node.size() > MAX_LABELS) {
            throw ApiException.badRequest("labels", "at most " + MAX_LABELS + " labels are allowed");
        }
        Map<String, String> labels = new LinkedHashMap<>();
        for (var entry : node.properties()) {
            JsonNode value = entry.getValue();
            if (!value.isTextual() || entry.getKey().length() > MAX_TEXT || value.textValue().length() > MAX_TEXT) {
                throw ApiException.badRequest("labels", "label " + entry.getKey()
                        + " must be a string of at most " + MAX_TEXT + " characters");
            }
            labels.put(entry.getKey(), value.textValue());
        }
        return labels;
    }
}
