package io.llmlb.health.query.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.llmlb.health.http.ApiException;
import io.llmlb.health.http.JsonHttp;
import io.llmlb.health.query.admin.NodeAdmin;
import io.llmlb.health.query.view.NodeStateReader;
import io.llmlb.health.query.view.TransitionLog;
import io.llmlb.health.wire.NodeIds;
import io.llmlb.health.wire.NodeState;
import io.llmlb.health.wire.NodeStatus;
import java.time.Clock;
import java.time.Instant;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code /v0/nodes}: list and read nodes (any logged-in user), register (admin, or a node with the
 * enrollment key), approve, disconnect, delete and rotate tokens (admin).
 */
public final class NodesService implements HttpService {

    private static final int MAX_TEXT = 256;
    private static final int MAX_LABELS = 64;

    private final Authenticator auth;
    private final NodeStateReader reader;
    private final NodeAdmin admin;
    private final TransitionLog transitions;
    private final EnrollmentKeyCheck enrollment;
    private final Clock clock;

    public NodesService(Authenticator auth, NodeStateReader reader, TransitionLog transitions, NodeAdmin admin,
                        EnrollmentKeyCheck enrollment, Clock clock) {
        this.auth = auth;
        this.reader = reader;
        this.transitions = transitions;
        this.admin = admin;
        this.enrollment = enrollment;
        this.clock = clock;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/v0/nodes", this::list)
                .post("/v0/nodes", this::register)
                .get("/v0/nodes/{id}", this::detail)
                .delete("/v0/nodes/{id}", this::delete)
                .post("/v0/nodes/{id}/approve", this::approve)
                .post("/v0/nodes/{id}/disconnect", this::disconnect)
                .post("/v0/nodes/{id}/token", this::rotateToken);
    }

    private void list(ServerRequest request, ServerResponse response) {
        auth.caller(request);
        Instant now = clock.instant();
        List<Map<String, Object>> nodes = reader.all().stream()
                .sorted(Comparator.comparing(NodeState::nodeId))
                .map(node -> NodeJson.of(node, now))
                .toList();
        JsonHttp.send(response, Status.OK_200, Map.of("nodes", nodes));
    }

    private void detail(ServerRequest request, ServerResponse response) {
        auth.caller(request);
        String id = pathId(request);
        NodeState node = reader.find(id).orElseThrow(() -> ApiException.notFound("node " + id + " is not known"));
        Map<String, Object> answer = NodeJson.of(node, clock.instant());
        answer.put("transitions", transitions.recent(id).stream().map(NodeJson::transition).toList());
        JsonHttp.send(response, Status.OK_200, answer);
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
        answer.put("state", reader.find(id).map(node -> node.state().wireName()).orElse(null));
        answer.put("node_token", issued.nodeToken());
        JsonHttp.send(response, Status.OK_200, answer);
    }

    private static void sendState(ServerResponse response, String id, String state) {
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("node_id", id);
        answer.put("state", state);
        JsonHttp.send(response, Status.OK_200, answer);
    }

    private static String pathId(ServerRequest request) {
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
