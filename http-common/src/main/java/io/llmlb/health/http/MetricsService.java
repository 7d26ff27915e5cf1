package io.llmlb.health.http;

import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.io.OutputStream;
import java.io.UncheckedIOException;

/**
 * {@code GET /metrics}: Prometheus text format, or OpenMetrics when the scraper asks for it in
 * its Accept header (Prometheus does). The answer is written to the socket as it is rendered:
 * first the {@link DirectSeries} (per-node series), then the registry's meters.
 */
public final class MetricsService implements HttpService {

    private static final String OPENMETRICS = "application/openmetrics-text; version=1.0.0; charset=utf-8";
    private static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

    private final PrometheusMeterRegistry registry;
    private final DirectSeries direct;

    public MetricsService(PrometheusMeterRegistry registry) {
        this(registry, DirectSeries.NONE);
    }

    public MetricsService(PrometheusMeterRegistry registry, DirectSeries direct) {
        this.registry = registry;
        this.direct = direct;
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
        // Written to the socket as it is rendered, not built into one String and then a byte array:
        // with per-node series a scrape of a big fleet is megabytes.
        try (OutputStream out = StreamedBody.of(response)) {
            write(registry, direct, contentType, out);
        } catch (IOException e) {
            // The scraper went away mid-answer: nothing left to answer.
            throw new UncheckedIOException(e);
        }
    }

    /** The whole scrape in {@code contentType} (Prometheus text or OpenMetrics) to {@code out}. */
    public static void write(PrometheusMeterRegistry registry, DirectSeries direct, String contentType,
                             OutputStream out) throws IOException {
        Writer text = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), 64 * 1024);
        direct.write(new SeriesWriter(text, contentType.startsWith("application/openmetrics-text")));
        text.flush();
        // After the direct series: in OpenMetrics the registry's part ends with the end marker.
        registry.scrape(out, contentType);
    }

    /** {@link #write} as text, Prometheus format unless {@code openMetrics} (tests read it). */
    public static String scrapeText(PrometheusMeterRegistry registry, DirectSeries direct, boolean openMetrics) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        try {
            write(registry, direct, openMetrics ? OPENMETRICS : PROMETHEUS_TEXT, out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString(StandardCharsets.UTF_8);
    }
}
