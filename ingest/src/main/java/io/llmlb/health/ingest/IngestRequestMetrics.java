package io.llmlb.health.ingest;

import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;

/**
 * {@code llm_router_ingest_requests_seconds{status}}: latency and count of {@code POST /v0/health}
 * by status code. Status codes are a small fixed set, so the label stays bounded.
 */
final class IngestRequestMetrics implements Filter {

    private static final String HEALTH_PATH = "/v0/health";

    private final MeterRegistry meters;

    IngestRequestMetrics(MeterRegistry meters) {
        this.meters = meters;
        // Registered up front so the series exists (at 0) before the first heartbeat.
        timer("200");
    }

    @Override
    public void filter(FilterChain chain, RoutingRequest request, RoutingResponse response) {
        if (!HEALTH_PATH.equals(request.path().path())) {
            chain.proceed();
            return;
        }
        long start = System.nanoTime();
        try {
            chain.proceed();
        } finally {
            timer(String.valueOf(response.status().code())).record(Duration.ofNanos(System.nanoTime() - start));
        }
    }

    private Timer timer(String status) {
        return Timer.builder("llm_router.ingest.requests")
                .description("POST /v0/health requests by status")
                .tag("status", status)
                .serviceLevelObjectives(Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25),
                        Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofSeconds(1))
                .register(meters);
    }
}
