package io.llmlb.health.http;

import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.charset.StandardCharsets;

/**
 * {@code GET /metrics}: Prometheus text format, or OpenMetrics when the scraper asks for it in
 * its Accept header (Prometheus does).
 */
public final class MetricsService implements HttpService {

    private static final String OPENMETRICS = "application/openmetrics-text; version=1.0.0; charset=utf-8";
    private static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

    private final PrometheusMeterRegistry registry;

    public MetricsService(PrometheusMeterRegistry registry) {
        this.registry = registry;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/metrics", this::scrape);
    }

    private void scrape(ServerRequest request, ServerResponse response) {
        boolean openMetrics = request.headers().first(HeaderNames.ACCEPT)
                .map(accept -> accept.contains("application/openmetrics-text"))
                .orElse(false);
        String contentType = openMetrics ? OPENMETRICS : PROMETHEUS_TEXT;
        response.status(Status.OK_200);
        response.header(HeaderNames.CONTENT_TYPE, contentType);
        // Node ids and label values are text that clients chose: never to be sniffed as HTML.
        response.header(HeaderNames.X_CONTENT_TYPE_OPTIONS, JsonHttp.NO_SNIFF);
        response.send(registry.scrape(contentType).getBytes(StandardCharsets.UTF_8));
    }
}
