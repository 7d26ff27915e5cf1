package io.llmlb.health.query.http;

import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.llmlb.health.http.ApiException;
import io.llmlb.health.http.JsonHttp;
import io.llmlb.health.query.history.FleetHistory;
import io.llmlb.health.query.history.NodeMetricHistory;
import io.llmlb.health.query.view.NodeView;
import io.llmlb.health.query.view.TransitionLog;
import io.llmlb.health.wire.NodeIds;
import io.llmlb.health.wire.NodeStatus;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The last hour for the dashboard's charts (any logged-in user): {@code GET /v0/history/fleet}
 * (nodes per state, heartbeats per second, timeouts) and {@code GET /v0/nodes/{id}/history} (one
 * node's metrics and transitions). Times are RFC 3339; each list is aligned with {@code at};
 * {@code ?minutes=1..60} answers with less of the hour.
 */
public final class HistoryService implements HttpService {

    private final Authenticator auth;
    private final NodeView view;
    private final TransitionLog transitions;
    private final FleetHistory fleet;
    private final NodeMetricHistory nodes;
    private final Clock clock;

    public HistoryService(Authenticator auth, NodeView view, TransitionLog transitions, FleetHistory fleet,
                          NodeMetricHistory nodes, Clock clock) {
        this.clock = clock;
        this.auth = auth;
        this.view = view;
        this.transitions = transitions;
        this.fleet = fleet;
        this.nodes = nodes;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/v0/history/fleet", this::fleet)
                .get("/v0/nodes/{id}/history", this::node);
    }

    private void fleet(ServerRequest request, ServerResponse response) {
        auth.caller(request);
        int minutes = minutes(request);
        Map<NodeStatus, Long> current = view.counts().byState();
        FleetHistory.Chart chart = fleet.chart(current);
        Map<String, List<?>> series = new LinkedHashMap<>();
        for (NodeStatus state : NodeStatus.values()) {
            series.put(state.wireName(), chart.nodes().get(state));
        }
        series.put("heartbeats_per_second", chart.heartbeatsPerSecond());
        series.put("timeouts", chart.timeouts());
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("step_seconds", FleetHistory.STEP_SECONDS);
        answer.putAll(lastMinutes(chart.at(), series, minutes));
        JsonHttp.send(response, Status.OK_200, answer);
    }

    private void node(ServerRequest request, ServerResponse response) {
        auth.caller(request);
        String id = NodeIds.require("id", request.path().pathParameters().get("id"));
        int minutes = minutes(request);
        if (view.find(id).isEmpty()) {
            throw ApiException.notFound("node " + id + " is not known");
        }
        NodeMetricHistory.Chart chart = nodes.chart(id).orElse(new NodeMetricHistory.Chart(List.of(), Map.of()));
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("node_id", id);
        answer.put("step_seconds", NodeMetricHistory.STEP_SECONDS);
        answer.putAll(lastMinutes(chart.at(), new LinkedHashMap<>(chart.metrics()), minutes));
        answer.put("transitions", transitions.recent(id).stream().map(NodeJson::transition).toList());
        JsonHttp.send(response, Status.OK_200, answer);
    }

    /** {@code at} (RFC 3339) and each aligned series, cut to the points of the last {@code minutes}. */
    private Map<String, Object> lastMinutes(List<Instant> at, Map<String, ? extends List<?>> series, int minutes) {
        Instant from = clock.instant().minus(Duration.ofMinutes(minutes));
        int first = 0;
        while (first < at.size() && at.get(first).isBefore(from)) {
            first++;
        }
        Map<String, Object> cut = new LinkedHashMap<>();
        cut.put("at", at.subList(first, at.size()).stream().map(NodeJson::rfc3339).toList());
        for (Map.Entry<String, ? extends List<?>> entry : series.entrySet()) {
            cut.put(entry.getKey(), new ArrayList<>(entry.getValue().subList(first, entry.getValue().size())));
        }
        return cut;
    }

    /** {@code ?minutes=} 1..60, default 60: how much of the hour to answer with. */
    private static int minutes(ServerRequest request) {
        String text = request.query().first("minutes").orElse(null);
        if (text == null) {
            return 60;
        }
        try {
            int minutes = Integer.parseInt(text);
            if (minutes >= 1 && minutes <= 60) {
                return minutes;
            }
        } catch (NumberFormatException e) {
            // said below
        }
        throw ApiException.badRequest("minutes", "minutes must be a whole number from 1 to 60, not " + text);
    }
}
