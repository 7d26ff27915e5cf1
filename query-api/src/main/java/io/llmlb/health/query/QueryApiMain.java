package io.llmlb.health.query;

import io.llmlb.health.http.Meters;
import io.llmlb.health.http.ServiceLauncher;
import io.llmlb.health.query.config.QueryApiConfig;
import io.llmlb.health.query.metrics.NodeStateCollector;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.List;

/** Runs the query API on its own against an external Kafka (one container per replica). */
public final class QueryApiMain {

    private QueryApiMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        QueryApiConfig config = ServiceLauncher.configOrExit(() -> QueryApiConfig.fromEnv(System.getenv()));
        QueryApiApp app = QueryApiApp.start(config);
        PrometheusMeterRegistry meters = Meters.newRegistry();
        NodeStateCollector nodeMetrics = new NodeStateCollector(app.nodeView(), config.perNodeMetrics());
        meters.getPrometheusRegistry().register(nodeMetrics);
        ServiceLauncher.serveUntilStopped("query-api", config.host(), config.port(), config.serverLimits(), config.kafka(),
                List.of(config.kafka().topics().nodeRegistry(), config.kafka().topics().nodeState(),
                        config.kafka().topics().nodeStateChanges(), config.kafka().topics().detectorEvents()),
                app::isReady, meters, nodeMetrics.perNodeSeries(), app::routing, app);
    }
}
