package io.llmlb.health.http;

import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * {@code GET /health/live} (the process answers) and {@code GET /health/ready} (its Kafka-backed
 * parts are running), for container orchestrators and load balancers.
 */
public final class HealthService implements HttpService {

    private final BooleanSupplier ready;

    public HealthService(BooleanSupplier ready) {
        this.ready = ready;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/health/live", (request, response) -> JsonHttp.send(response, Status.OK_200, Map.of("status", "UP")))
                .get("/health/ready", (request, response) -> {
                    boolean up = ready.getAsBoolean();
                    JsonHttp.send(response, up ? Status.OK_200 : Status.SERVICE_UNAVAILABLE_503,
                            Map.of("status", up ? "UP" : "DOWN"));
                });
    }
}
