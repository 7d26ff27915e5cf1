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
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How a node is watched, admin only: maintenance ({@code POST}/{@code DELETE
 * /v0/nodes/{id}/maintenance}) and the node's own timeout ({@code PUT}/{@code DELETE
 * /v0/nodes/{id}/timeout}). Each is a registry entry the state-processor applies; the answer says
 * what was asked, {@code GET /v0/nodes/{id}} shows it once applied.
 */
public final class NodeSupervisionService implements HttpService {

    static final String TIMEOUT_FIELD = "timeout_secs";

    private final Authenticator auth;
    private final NodeAdmin admin;

    public NodeSupervisionService(Authenticator auth, NodeAdmin admin) {
        this.auth = auth;
        this.admin = admin;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.post("/v0/nodes/{id}/maintenance", (request, response) -> maintenance(request, response, true))
                .delete("/v0/nodes/{id}/maintenance", (request, response) -> maintenance(request, response, false))
                .put("/v0/nodes/{id}/timeout", this::setTimeout)
                .delete("/v0/nodes/{id}/timeout", this::clearTimeout);
    }

    private void maintenance(ServerRequest request, ServerResponse response, boolean on) {
        auth.admin(request);
        String id = NodesService.pathId(request);
        send(response, id, "maintenance", admin.maintenance(id, on));
    }

    private void setTimeout(ServerRequest request, ServerResponse response) {
        auth.admin(request);
        String id = NodesService.pathId(request);
        int timeoutSecs = timeoutSecs(JsonHttp.readObject(request));
        admin.timeout(id, timeoutSecs);
        send(response, id, TIMEOUT_FIELD, timeoutSecs);
    }

    private void clearTimeout(ServerRequest request, ServerResponse response) {
        auth.admin(request);
        String id = NodesService.pathId(request);
        admin.timeout(id, 0);
        send(response, id, TIMEOUT_FIELD, null);
    }

    private static int timeoutSecs(ObjectNode body) {
        JsonNode node = body.get(TIMEOUT_FIELD);
        if (node == null || node.isNull()) {
            throw ApiException.badRequest(TIMEOUT_FIELD, TIMEOUT_FIELD + " is required (DELETE the timeout to go back"
                    + " to LLMLB_NODE_TIMEOUT)");
        }
        if (!node.isIntegralNumber() || !node.canConvertToInt() || node.intValue() < NodeAdmin.MIN_TIMEOUT_SECS
                || node.intValue() > NodeAdmin.MAX_TIMEOUT_SECS) {
            throw ApiException.badRequest(TIMEOUT_FIELD, TIMEOUT_FIELD + " must be a whole number of seconds from "
                    + NodeAdmin.MIN_TIMEOUT_SECS + " to " + NodeAdmin.MAX_TIMEOUT_SECS + ", not "
                    + (node.isNumber() ? node.asText() : JsonHttp.describe(node)));
        }
        return node.intValue();
    }

    private static void send(ServerResponse response, String id, String field, Object value) {
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("node_id", id);
        answer.put(field, value);
        JsonHttp.send(response, Status.OK_200, answer);
    }
}
