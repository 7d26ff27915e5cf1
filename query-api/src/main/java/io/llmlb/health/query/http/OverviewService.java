package io.llmlb.health.query.http;

import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.llmlb.health.http.JsonHttp;
import io.llmlb.health.query.view.DetectorHolds;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * {@code GET /v0/overview} (any logged-in user): what the dashboard shows above the table: whether
 * the detector holds its verdicts (how many nodes, since when, until when at most) and the
 * optional Grafana link ({@code LLMLB_GRAFANA_URL}).
 */
public final class OverviewService implements HttpService {

    private final Authenticator auth;
    private final Supplier<DetectorHolds.Summary> holds;
    private final URI grafanaUrl;

    public OverviewService(Authenticator auth, Supplier<DetectorHolds.Summary> holds, URI grafanaUrl) {
        this.auth = auth;
        this.holds = holds;
        this.grafanaUrl = grafanaUrl;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/v0/overview", this::overview);
    }

    private void overview(ServerRequest request, ServerResponse response) {
        auth.caller(request);
        DetectorHolds.Summary summary = holds.get();
        Map<String, Object> detector = new LinkedHashMap<>();
        detector.put("holding", summary.holding());
        detector.put("held_nodes", summary.heldNodes());
        detector.put("since", NodeJson.rfc3339(summary.since()));
        detector.put("until_at_most", NodeJson.rfc3339(summary.untilAtMost()));
        detector.put("causes", summary.causes());
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("detector", detector);
        answer.put("grafana_url", grafanaUrl == null ? null : grafanaUrl.toString());
        JsonHttp.send(response, Status.OK_200, answer);
    }
}
