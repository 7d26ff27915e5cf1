package io.llmlb.health.ingest;

import io.helidon.http.Method;
import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * {@code llm_router_ingest_requests_seconds{status}}: latency and count of {@code POST /v0/health}
 * by status code. Status codes are a small fixed set, so the label stays bounded.
 */
final class IngestRequestMetrics implements Filter {

    private static final String HEALTH_PATH = "/v0/health";

    private final MeterRegistry meters;
    /** One timer per status code, looked up without building a meter id on the hot path. */
    private final Map<Integer, Timer> timersByStatus = new ConcurrentHashMap<>();

    IngestRequestMetrics(MeterRegistry meters) {
        this.meters = meters;
        // Registered up front so the series exists (at 0) before the first heartbeat.
        timer(200);
    }

    @Override
    public void filter(FilterChain chain, RoutingRequest request, RoutingResponse response) {
        // Heartbeats only: GET /v0/health (which node a token belongs to) is not a heartbeat.
        if (!HEALTH_PATH.equals(request.path().path()) || request.prologue().method() != Method.POST) {
            chain.proceed();
            return;
        }
        long start = System.nanoTime();
        try {
            chain.proceed();
        } finally {
            timer(response.status().code()).record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
        }
    }

    private Timer timer(int status) {
        return timersByStatus.computeIfAbsent(status, code -> Timer.builder("llm_router.ingest.requests")
                .description("POST /v0/health requests by status")
                .tag("status", String.valueOf(code))
                .serviceLevelObjectives(Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25),
                        Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofSeconds(1))
                .register(meters));
    }
}
